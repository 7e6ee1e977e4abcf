import { describe, expect, it } from 'vitest';
import { assessFraud, type FraudInput } from './signals.js';

const clean: FraudInput = {
  ip: { valid_public_address: true, country_code: 'KE', hosting: false },
  phoneCountries: ['KE'],
  addressCountries: [],
  disposableDomains: [],
  deviceContradictions: [],
  otherUsers: { ip: 0, device: 0, email: 0, phone: 0 },
};

describe('fraud signals', () => {
  it('scores 0 with no reason when nothing fires', () => {
    expect(assessFraud(clean)).toEqual({ risk_score: 0, reasons: [] });
  });

  it('adds the weight of each signal, largest first', () => {
    const a = assessFraud({
      ...clean,
      ip: { valid_public_address: true, country_code: 'US', hosting: true },
      disposableDomains: ['mailinator.com'],
    });
    expect(a.reasons.map((r) => r.code)).toEqual(['hosting_asn', 'disposable_email', 'ip_country_mismatch']);
    expect(a.risk_score).toBe(75);
    expect(a.reasons[2]!.detail).toBe('IP in US, phone or address in KE');
  });

  it('fires velocity from the threshold, sharing from one other user, and caps at 99', () => {
    const a = assessFraud({
      ...clean,
      ip: { valid_public_address: true, country_code: 'US', hosting: true },
      deviceContradictions: ['os'],
      otherUsers: { ip: 3, device: 2, email: 1, phone: 1 },
    });
    expect(a.reasons.map((r) => r.code).sort()).toEqual(
      [
        'hosting_asn',
        'ip_country_mismatch',
        'ip_velocity',
        'shared_email',
        'shared_phone',
        'user_agent_contradiction',
      ].sort(),
    );
    expect(a.risk_score).toBe(99);
  });

  it('counts a reserved address as a reason and compares no country for it', () => {
    const a = assessFraud({
      ...clean,
      ip: { valid_public_address: false, country_code: null, hosting: false },
    });
    expect(a).toMatchObject({ risk_score: 10, reasons: [{ code: 'reserved_ip' }] });
  });
});
