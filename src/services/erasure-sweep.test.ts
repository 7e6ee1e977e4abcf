/**
 * Erasing a person leaves nothing of them: a person is given everything every dialect can keep
 * about them, then erased, and every row of every table is read for what is left. What stays on
 * purpose is listed in docs/native-api.md#erasure; anything else is a leak.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSync } from '../../test/fixtures/device-sync.js';
import type { TestApp } from '../../test/helpers/app.js';
import { ENGINES } from '../../test/helpers/databases.js';
import {
  archiveFinishedJobs,
  everyTable,
  findNeedles,
  type Needle,
  opener,
  tally,
  unknownTables,
  where,
} from '../../test/helpers/erasure-sweep.js';
import { finboxTenant, predictors, sync } from '../../test/helpers/finbox.js';
import {
  calculateBody,
  createConnectedTestApp,
  fsClient,
  settledScore,
} from '../../test/helpers/friendlyscore.js';
import { PEOPLE, partnerWith, request, tdCall } from '../../test/helpers/td.js';
import { WebhookReceiver } from '../../test/helpers/webhook-receiver.js';
import { INDICATOR_COUNTRIES } from '../domain/indicators/packages.js';
import { ConsortiumHasher } from '../security/consortium-hasher.js';
import { resolveSecretKey } from '../security/secret-key.js';
import { DELIVER_JOB } from '../webhooks/webhook-service.js';

interface Person {
  partnerId: string;
  country: 'MX' | 'IN';
  email: string;
  ip: string;
}

const ERASED: Person = {
  partnerId: 'amina-7f3k',
  country: 'MX',
  email: 'amina.7f3k@example.org',
  ip: '41.90.64.17',
};
const NEIGHBOUR: Person = {
  partnerId: 'baraka-2m9q',
  country: 'IN',
  email: 'baraka.2m9q@example.org',
  ip: '41.90.64.29',
};

/** Tables the person is in before the erasure, at the least: proof that the sweep reads them. */
const SEEN_BEFORE = [
  'consortium_applications: consortium id hash',
  'device_batches: subject id',
  'device_predictors: subject id',
  'device_sms: subject id',
  'device_state: subject id',
  'documents: email',
  'finbox_notices: subject id',
  'friendlyscore_users: subject id',
  'idempotency_keys: email',
  'outcomes: partner id',
  'partner_calls: subject id',
  'score_requests: subject id',
  'score_runs: national id',
  'score_runs: phone',
  'sightings: ip sighting',
  'subject_data: email',
  'subject_data: ip address',
  'subject_identifiers: email blind index',
  'subject_identifiers: national id blind index',
  'subject_identifiers: phone blind index',
  'subjects: partner id',
  'webhook_deliveries: subject id',
];

const e164 = (p: Person) =>
  p.country === 'MX' ? `+52${PEOPLE.MX.phone_number}` : `+91${PEOPLE.IN.phone_number}`;

for (const engine of ENGINES) {
  describe(`erasure on ${engine}: nothing of the person is left in any table`, () => {
    let t: TestApp;
    const receiver = new WebhookReceiver();

    beforeAll(async () => {
      await receiver.start();
      t = await createConnectedTestApp(engine);
    });
    afterAll(async () => {
      await t?.close();
      await receiver.stop();
    });

    /** Everything each dialect keeps about `p` in `tenant`; returns the subject's id. */
    async function lender(tenant: string) {
      const f = await finboxTenant(t, tenant, { webhookUrl: receiver.url });
      const packages = [{ name: 'credit_rating_estimation' }];
      const partner = await partnerWith(t, tenant, { countries: ['MX', 'IN'], packages, balance: '100' });
      await t.ctx.consortium.join(tenant);
      const key = await t.key(tenant);
      const fs = await fsClient(t, tenant, { create: false });
      return { f, partner, key, fs };
    }

    async function feed(l: Awaited<ReturnType<typeof lender>>, p: Person): Promise<string> {
      const { f, partner, key, fs } = l;
      const person = PEOPLE[p.country];
      const inject = async (
        method: 'GET' | 'POST',
        url: string,
        payload?: unknown,
        headers: Record<string, string> = {},
      ) => {
        // Every POST carries an Idempotency-Key (ignored where a dialect has none), so that each
        // answer kept for replays is swept; the keys name nobody.
        const res = await t.app.inject({
          method,
          url,
          headers: {
            authorization: `Bearer ${key}`,
            'x-api-key': key,
            ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
            ...headers,
          },
          ...(payload === undefined ? {} : { payload: payload as object }),
        });
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
        return res;
      };

      // Cladfy, all three services; the first names the person's identifiers.
      await inject('POST', '/cladfy/v1/demographic_score/', {
        client_id: p.partnerId,
        age: 33,
        phone_number: e164(p),
        id_number: person.id_number,
        email: p.email,
      });
      await inject('POST', '/cladfy/v1/deposit_score/', {
        client_id: p.partnerId,
        startDate: '2024-01-01',
        endDate: '2024-02-29',
        expectedDepositDay: '5',
        expectedDepositAmount: 1000,
        deposits: [{ date: '2024-01-04', amount: 1000 }],
      });
      await inject('POST', '/cladfy/v1/repayment_score/', {
        client_id: p.partnerId,
        paymentStartDate: '2024-04-01',
        expectedPaymentDay: 1,
        expectedPaymentAmount: 500,
        payments: [{ date: '2024-04-01T08:00:00Z', amount: 500 }],
        reference: `loan-of-${p.partnerId}`,
      });
      const id = (await inject('GET', `/api/v1/subjects?partner_id=${p.partnerId}`)).json().id as string;

      // The native API: outcomes, data records (with an Idempotency-Key), a CV, a consortium application.
      await inject('POST', '/api/v1/outcomes', {
        outcomes: [
          {
            partner_id: p.partnerId,
            loan_id: `L-${p.partnerId}`,
            status: 'default',
            observed_at: '2024-09-30',
            external_id: `out-${p.partnerId}`,
          },
        ],
      });
      const profile = { full_name: `Full Name ${p.partnerId}`, emails: [p.email], connections: 210 };
      await inject('POST', `/api/v1/subjects/${id}/data/social/facebook`, profile);
      await inject('POST', `/api/v1/subjects/${id}/data/ip-address`, {
        ip: p.ip,
        user_agent: { os: 'Android 13', browser: 'Chrome 120', mobile: true },
      });
      await inject(
        'POST',
        `/api/v1/subjects/${id}/data/documents?name=cv-${p.partnerId}.txt`,
        `Curriculum vitae of ${p.partnerId}\nEmail: ${p.email}\nExperience: Analyst, Safaricom, 2016 - present`,
        { 'content-type': 'text/plain' },
      );
      await inject('POST', '/api/v1/applications', {
        external_id: `app-${p.partnerId}`,
        country: p.country,
        national_id: person.id_number,
        app_name: 'CashNow',
        status: 'approved',
      });

      // FriendlyScore: a calculation with social connectors, notified to a webhook.
      const calc = await fs.call(
        'POST',
        `/api/v2/users/partner-id/${p.partnerId}/calculate_score.json`,
        calculateBody({ webhook: receiver.url, user_ip: p.ip }),
      );
      expect(calc.statusCode).toBe(200);
      expect((await settledScore(fs, `partner_user_id=${p.partnerId}`)).statusCode).toBe(200);

      // TD: a charged credit-indicator call, with an Idempotency-Key, about the same person.
      const call = await tdCall(t, partner, request(p.country, 'credit_rating_estimation'), {
        'idempotency-key': `td-key-${p.country}`,
      });
      expect(call.json().code).toBe(200);

      // FinBox DeviceConnect: a device sync (SMS, apps, calls...), its webhook, and the predictors.
      const synced = await sync(
        t,
        f.deviceKey,
        syntheticSync({ customerId: p.partnerId, now: Date.now(), sms: 20 }),
      );
      expect(synced.statusCode).toBeLessThan(300);
      await t.ctx.queue.drain();
      expect((await predictors(t, f, p.partnerId)).statusCode).toBe(200);
      await inject('POST', '/api/v1/device-score', { customer_id: p.partnerId });
      await inject('GET', `/api/v1/subjects/${id}/composite-score`);
      await t.ctx.queue.drain();
      return id;
    }

    /** What would name `p`: ids, plain identifiers, and their blind indexes and keyed hashes. */
    function needlesOf(p: Person, subjectId: string): Needle[] {
      const cipher = t.ctx.cipher;
      const hasher = new ConsortiumHasher(resolveSecretKey(t.db.config).keys);
      const person = PEOPLE[p.country];
      const phone = e164(p);
      const hashes = (label: string, values: string[]) =>
        values.map((value) => ({ label, value, shared: true }));
      return [
        { label: 'subject id', value: subjectId },
        { label: 'partner id', value: p.partnerId, shared: true },
        { label: 'phone', value: person.phone_number, shared: true },
        { label: 'national id', value: person.id_number, shared: true },
        { label: 'email', value: p.email, shared: true },
        { label: 'ip address', value: p.ip, shared: true },
        ...hashes('phone blind index', cipher.blindIndexes('phone', phone)),
        ...hashes('national id blind index', cipher.blindIndexes('national_id', person.id_number)),
        ...hashes('email blind index', cipher.blindIndexes('email', p.email)),
        ...hashes('email sighting', cipher.blindIndexes('sighting.email', p.email)),
        ...hashes('phone sighting', cipher.blindIndexes('sighting.phone', phone)),
        ...hashes('ip sighting', cipher.blindIndexes('sighting.ip', p.ip)),
        ...hashes('consortium phone hash', hasher.phoneHashes(phone)),
        ...hashes(
          'consortium id hash',
          INDICATOR_COUNTRIES.flatMap((c) => hasher.idHashes(c, person.id_number)),
        ),
      ];
    }

    const sweep = async (p: Person, subjectId: string, controlTenantId: string) =>
      findNeedles(await everyTable(t), needlesOf(p, subjectId), { open: opener(t), controlTenantId });
    it('erases a person fed through every dialect, and keeps the neighbours and the other tenant', async () => {
      const acme = await lender('acme');
      const beta = await lender('beta');
      const erasedId = await feed(acme, ERASED);
      const neighbourId = await feed(acme, NEIGHBOUR);
      const controlId = await feed(beta, ERASED);
      const betaId = beta.f.tenantId;
      await archiveFinishedJobs(t, DELIVER_JOB);

      expect(unknownTables(await everyTable(t)), 'tables the sweep does not know').toEqual([]);

      // The sweep finds the person wherever they are before the erasure: it is not looking in vain.
      const before = await sweep(ERASED, erasedId, betaId);
      // On PostgreSQL the jobs are pg-boss's.
      const jobs =
        engine === 'postgres'
          ? ['pgboss.job: subject id', 'pgboss.archive: subject id']
          : ['jobs: subject id'];
      expect(where(before)).toEqual(expect.arrayContaining([...SEEN_BEFORE, ...jobs]));
      const controls = async () => ({
        neighbour: tally(await sweep(NEIGHBOUR, neighbourId, betaId)),
        control: tally(
          findNeedles(await everyTable(t), [{ label: 'subject id', value: controlId }], {
            open: opener(t),
            controlTenantId: '',
          }),
        ),
      });
      const controlsBefore = await controls();
      expect(Object.keys(controlsBefore.neighbour)).toEqual(
        expect.arrayContaining([...SEEN_BEFORE, ...jobs]),
      );
      expect(Object.keys(controlsBefore.control)).toEqual(
        expect.arrayContaining(['subjects: subject id', ...jobs]),
      );

      const erased = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/subjects/${erasedId}`,
        headers: { authorization: `Bearer ${acme.key}` },
      });
      expect(erased.statusCode).toBe(200);
      await t.ctx.queue.drain();

      const after = await sweep(ERASED, erasedId, betaId);
      // Kept on purpose (docs/native-api.md#erasure): the audit entry of the erasure, which names
      // the subject's random internal id and nothing else of the person.
      const audited = after.filter((f) => f.table === 'audit_log');
      expect(audited).toHaveLength(1);
      expect(audited[0]!.row).toMatchObject({
        action: 'subject.erase',
        target_id: erasedId,
        tenant_id: acme.f.tenantId,
      });
      expect(where(after.filter((f) => f.table !== 'audit_log'))).toEqual([]);
      // The charged credit-indicator call stays in the partner's ledger, detached from the person.
      const calls = await t.ctx.database.db
        .selectFrom('partner_calls')
        .innerJoin('partners', 'partners.id', 'partner_calls.partner_id')
        .selectAll('partner_calls')
        .where('partners.tenant_id', '=', acme.f.tenantId)
        .where('partner_calls.code', '=', 200)
        .execute();
      expect(calls.map((c) => c.subject_id !== null).sort()).toEqual([false, true]);
      expect(calls.find((c) => c.subject_id === null)).toMatchObject({
        response: null,
        request_hash: null,
        idempotency_key: null,
      });

      // The neighbour and the same partner id at another lender lost nothing.
      expect(await controls()).toEqual(controlsBefore);
      const found = await t.app.inject({
        url: `/api/v1/subjects?partner_id=${ERASED.partnerId}`,
        headers: { authorization: `Bearer ${beta.key}` },
      });
      expect(found.json().id).toBe(controlId);
    }, 120_000);
  });
}
