import { describe, expect, it } from 'vitest';
import { footprint } from './features.js';

const now = new Date('2025-01-01T00:00:00Z');

describe('the footprint from connector data', () => {
  it('turns each connector record into its attributes', () => {
    const records = new Map<string, unknown>([
      ['access_tokens', { facebook: 'a', twitter: 'b', paypal: 'c' }],
      [
        'social.facebook',
        { token_valid: true, connections: 400, emails: ['a@x.com'], educations: ['Moi University'] },
      ],
      [
        'social.twitter',
        { token_valid: true, account_created_at: '2015-01-01T00:00:00Z', connections: 100, verified: false },
      ],
      [
        'social.paypal',
        { token_valid: true, emails: ['A@x.com'], phones: ['+254712345678'], verified: true },
      ],
      ['ip_address', { ip: '41.90.64.10' }],
      ['fraud.ip', { risk_score: 20 }],
      ['user_agent', { os: 'Android', browser: 'Chrome' }],
      ['cv.phones', ['+254712345678']],
      ['cv.work-periods', [{ from: '2020-01', to: null }]],
      ['cv.universities', []],
    ]);
    expect(footprint(records, now).attributes).toEqual({
      networks_linked: 3,
      professional_network: 'no',
      payment_network: 'yes',
      oldest_account_age_months: expect.closeTo(120, 0),
      connections_total: 500,
      email_consistent: 'yes',
      phone_consistent: 'yes',
      ip_address_public: 'yes',
      ip_risk_score: 20,
      device_known: 'yes',
      verified_identity: 'yes',
      education_known: 'yes',
      work_history_years: expect.closeTo(5, 1),
    });
  });

  it('counts work through the last month of a period, and none still ahead', () => {
    const years = (periods: unknown[]) =>
      footprint(new Map<string, unknown>([['cv.work-periods', periods]]), now).attributes.work_history_years;
    // January to December is a year, and a job of one month is a month.
    expect(years([{ from: '2022-01', to: '2022-12' }])).toBeCloseTo(1, 2);
    expect(years([{ from: '2023-06', to: '2023-06' }])).toBeCloseTo(30 / 365.25, 2);
    // A contract ending in 2029, begun in January 2024: a year of it has been worked by 2025.
    expect(years([{ from: '2024-01', to: '2029-12' }])).toBeCloseTo(1, 2);
  });

  it('counts a network as linked only once its connector confirmed the token', () => {
    const records = new Map<string, unknown>([
      ['access_tokens', { facebook: 'a', linkedin: 'b', paypal: 'c', twitter_user_id: '42' }],
      ['social.facebook', { token_valid: true, connections: 10 }],
      ['social.paypal', { token_valid: false, error: 'invalid token' }],
      ['ip_address', { ip: '41.90.64.10' }],
    ]);
    const fp = footprint(records, now);
    expect(fp.attributes).toMatchObject({
      networks_linked: 1,
      professional_network: 'no',
      payment_network: 'no',
    });
    expect(fp.usable).toBe(true);
  });

  it('keeps a network confirmed at an earlier calculation linked until it refuses a token', () => {
    // The newest request sent only Facebook's token; LinkedIn answered an earlier one.
    const records = new Map<string, unknown>([
      ['access_tokens', { facebook: 'a' }],
      ['social.facebook', { token_valid: true, connections: 10 }],
      ['social.linkedin', { token_valid: true, email_verified: true }],
    ]);
    expect(footprint(records, now).attributes).toMatchObject({
      networks_linked: 2,
      professional_network: 'yes',
    });
    records.set('social.linkedin', { token_valid: false, error: 'revoked' });
    expect(footprint(records, now).attributes).toMatchObject({
      networks_linked: 1,
      professional_network: 'no',
    });
  });

  it('finds nothing usable in tokens that no connector could check', () => {
    const fp = footprint(
      new Map<string, unknown>([
        ['access_tokens', { facebook: 'a', linkedin: 'AQX' }],
        ['ip_address', { ip: '41.90.64.10' }],
        ['fraud.ip', { risk_score: 1 }],
        ['user_agent', { os: 'Android', browser: 'Chrome' }],
      ]),
      now,
    );
    expect(fp.attributes).toMatchObject({ networks_linked: 0, professional_network: 'no' });
    expect(fp.usable).toBe(false);
  });

  it('leaves out what no connector told', () => {
    const a = footprint(
      new Map<string, unknown>([
        ['access_tokens', { linkedin: 'x' }],
        ['cv.universities', []],
      ]),
      now,
    ).attributes;
    expect(a).not.toHaveProperty('verified_identity');
    expect(a.education_known).toBe('no');
  });

  it('reads one phone written nationally in one source and internationally in another as one', () => {
    const phones = (a: string[], b: string[], extra: [string, unknown][] = []) =>
      footprint(
        new Map<string, unknown>([
          ['social.paypal', { phones: a }],
          ['social.linkedin', { phones: b }],
          ...extra,
        ]),
        now,
      ).attributes.phone_consistent;
    expect(phones(['0712 345 678'], ['+254 712 345 678'])).toBe('yes');
    expect(phones(['0712 345 678'], ['+254 712 345 679'])).toBe('no');
    // With no international form, the country the records give reads the national ones.
    expect(phones(['0712 345 678'], ['712 345 678'], [['social.facebook', { country: 'ke' }]])).toBe('yes');
    expect(phones(['0712 345 678'], ['712 345 678'])).toBe('no');
    // A foreign number in one source does not make the person's own national ones foreign.
    expect(
      phones(
        ['0722 000 111'],
        ['+44 7911 123456', '+254 722 000 111'],
        [['social.facebook', { country: 'KE' }]],
      ),
    ).toBe('yes');
  });

  it('takes an account age only from an ISO 8601 date that has passed', () => {
    const age = (created: string) =>
      footprint(new Map<string, unknown>([['social.twitter', { account_created_at: created }]]), now)
        .attributes.oldest_account_age_months;
    expect(age('2015-01-01')).toBeCloseTo(120, 0);
    for (const bad of ['0', '12', '2021-02-30', 'yesterday', '2030-01-01T00:00:00Z'])
      expect(age(bad), bad).toBeUndefined();
    // Today's date east of UTC, a few hours ahead of now, is an account just made.
    expect(age('2025-01-01T05:00:00+00:00')).toBe(0);
  });

  it('knows the device from its raw User-Agent header when the page claimed nothing', () => {
    const known = (ua: Record<string, unknown>) =>
      footprint(new Map<string, unknown>([['user_agent', ua]]), now).attributes.device_known;
    const mac =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    expect(known({ ua: mac, mobile: false })).toBe('yes');
    expect(known({ mobile: false })).toBe('no');
    expect(known({ os: 'Android', browser: 'Chrome' })).toBe('yes');
    // A header bowser reads no OS from still has the page's claims.
    const nokia = 'Mozilla/5.0 (Mobile; Nokia_2780_Flip; rv:84.0) Gecko/84.0 Firefox/84.0';
    expect(known({ os: 'KaiOS 3.1', browser: 'Firefox 84.0', ua: nokia })).toBe('yes');
  });
});
