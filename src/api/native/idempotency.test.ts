import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ManualClock } from '../../../test/helpers/clock.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import { IDEMPOTENCY_CLAIM_LEASE_MS, IDEMPOTENCY_TTL_MS, requestHash } from './idempotency.js';

// Watched, to see that a file's bytes are never turned into JSON to be remembered by.
vi.mock('../../lib/canonical-json.js', async (original) => {
  const actual = await original<typeof import('../../lib/canonical-json.js')>();
  return { ...actual, canonicalJson: vi.fn(actual.canonicalJson) };
});

const SOCIAL = { token_valid: true, name: 'Wanjiru Kamau', emails: ['wanjiru.kamau@example.org'] };

for (const engine of ENGINES) {
  describe(`Idempotency-Key on ${engine}: what is kept, and for how long`, () => {
    let t: TestApp;
    afterEach(async () => t?.close());

    it('keeps the response and the request hash sealed, and deletes keys past their 24 hours', async () => {
      const clock = new ManualClock('2026-12-01T08:00:00Z');
      t = await createTestApp(engine, { clock });
      const { key } = await t.tenantWithKey('acme');
      const api = (url: string, payload: unknown, idempotencyKey: string) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1${url}`,
          headers: { authorization: `Bearer ${key}`, 'idempotency-key': idempotencyKey },
          payload: payload as object,
        });
      const scored = await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': key },
        payload: { client_id: 'c-1', age: 30 },
      });
      expect(scored.statusCode).toBe(200);
      const subject = (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/subjects?partner_id=c-1',
          headers: { authorization: `Bearer ${key}` },
        })
      ).json().id as string;

      const first = await api(`/subjects/${subject}/data/social/paypal`, SOCIAL, 'k-1');
      expect(first.statusCode).toBe(201);
      const rows = () => t.ctx.database.db.selectFrom('idempotency_keys').selectAll().execute();
      const [row] = await rows();
      // Nothing of the person, nor a hash of the request that a guess could be tested against.
      expect(JSON.stringify(row)).not.toMatch(/Wanjiru|wanjiru/);
      expect(row!.request_hash).toMatch(/^v1\./);
      expect(row!.response_body).toMatch(/^v1\./);
      const replay = await api(`/subjects/${subject}/data/social/paypal`, SOCIAL, 'k-1');
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json()).toEqual(first.json());
      expect(
        (await api(`/subjects/${subject}/data/social/paypal`, { ...SOCIAL, name: 'W. K.' }, 'k-1'))
          .statusCode,
      ).toBe(422);

      // A day later, a request with another key deletes the expired one.
      clock.advance(IDEMPOTENCY_TTL_MS + 60_000);
      expect((await api(`/subjects/${subject}/data/social/paypal`, SOCIAL, 'k-2')).statusCode).toBe(201);
      expect((await rows()).map((r) => r.key)).toEqual(['k-2']);
    });

    it('deletes expired keys once a minute though no request with a key comes', async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      try {
        const clock = new ManualClock('2026-12-01T08:00:00Z');
        t = await createTestApp(engine, { clock });
        await t.app.ready();
        const { key } = await t.tenantWithKey('acme');
        const sent = await t.app.inject({
          method: 'POST',
          url: '/api/v1/outcomes',
          headers: { authorization: `Bearer ${key}`, 'idempotency-key': 'o-1' },
          payload: { outcomes: [{ partner_id: 'p-1', status: 'current', observed_at: '2026-11-30' }] },
        });
        expect(sent.statusCode).toBe(201);
        const keys = async () =>
          (await t.ctx.database.db.selectFrom('idempotency_keys').select('key').execute()).length;
        clock.advance(IDEMPOTENCY_TTL_MS - 120_000);
        await vi.advanceTimersByTimeAsync(60_000);
        expect(await keys()).toBe(1);
        clock.advance(180_000);
        await vi.advanceTimersByTimeAsync(60_000);
        // The sweep the tick started runs on the database's time, not the fake timers'.
        await vi.waitFor(async () => expect(await keys()).toBe(0), { timeout: 5000 });
      } finally {
        vi.useRealTimers();
      }
    });

    it("keeps the route's answer when its key cannot be settled, and settles the key once it can", async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      try {
        t = await createTestApp(engine);
        await t.app.ready();
        const { key } = await t.tenantWithKey('acme');
        const db = t.ctx.database.db;
        // A database that refuses one kind of write to the keys, as one going down would.
        const refuse = async (op: 'UPDATE' | 'DELETE') => {
          if (engine === 'sqlite')
            await sql
              .raw(
                `CREATE TRIGGER refuse_${op} BEFORE ${op} ON idempotency_keys BEGIN SELECT RAISE(ABORT, 'failing disk'); END`,
              )
              .execute(db);
          else {
            await sql
              .raw(
                `CREATE OR REPLACE FUNCTION refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'failing disk'; END $$`,
              )
              .execute(db);
            await sql
              .raw(
                `CREATE TRIGGER refuse_${op} BEFORE ${op} ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION refuse_write()`,
              )
              .execute(db);
          }
        };
        const allow = (op: 'UPDATE' | 'DELETE') =>
          sql
            .raw(`DROP TRIGGER refuse_${op}${engine === 'sqlite' ? '' : ' ON idempotency_keys'}`)
            .execute(db);
        const report = (idempotencyKey: string, status: string) =>
          t.app.inject({
            method: 'POST',
            url: '/api/v1/outcomes',
            headers: { authorization: `Bearer ${key}`, 'idempotency-key': idempotencyKey },
            payload: { outcomes: [{ partner_id: 'p-1', status, observed_at: '2026-11-30' }] },
          });

        // The outcome is stored but its answer cannot be kept: the client still gets its 201, not
        // the database's error, and the key is kept once the database takes writes again.
        await refuse('UPDATE');
        const stored = await report('k-1', 'current');
        expect(stored.statusCode).toBe(201);
        expect(stored.json()).toMatchObject({ stored: 1 });
        expect((await report('k-1', 'current')).statusCode).toBe(409);
        await allow('UPDATE');
        await vi.advanceTimersByTimeAsync(2_000);
        await vi.waitFor(async () => {
          const replay = await report('k-1', 'current');
          expect(replay.headers['idempotent-replayed']).toBe('true');
          expect(replay.json()).toEqual(stored.json());
        });

        // A refused request's key cannot be released: the client gets the refusal in its own
        // words, and the key serves the corrected request once it is released.
        await refuse('DELETE');
        const refused = await report('k-2', 'no-such-status');
        expect(refused.statusCode).toBe(400);
        expect(refused.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field: 'outcomes[0].status' });
        expect((await report('k-2', 'current')).statusCode).toBe(422);
        await allow('DELETE');
        await vi.advanceTimersByTimeAsync(2_000);
        await vi.waitFor(async () => expect((await report('k-2', 'current')).statusCode).toBe(201));
      } finally {
        vi.useRealTimers();
      }
    });

    it('remembers an uploaded file by the digest of its bytes, not as JSON', async () => {
      t = await createTestApp(engine);
      const { key } = await t.tenantWithKey('acme');
      await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': key },
        payload: { client_id: 'c-1', age: 30 },
      });
      const subject = (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/subjects?partner_id=c-1',
          headers: { authorization: `Bearer ${key}` },
        })
      ).json().id as string;
      const upload = (text: string, idempotencyKey: string) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/subjects/${subject}/data/documents?name=cv.txt`,
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'text/plain',
            'idempotency-key': idempotencyKey,
          },
          payload: Buffer.from(text),
        });
      vi.mocked(canonicalJson).mockClear();
      const cv = 'Wanjiru Kamau\nAccountant, Nairobi, 2019-2024\n';
      const first = await upload(cv, 'doc-1');
      expect(first.statusCode).toBe(202);
      const replay = await upload(cv, 'doc-1');
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json()).toEqual(first.json());
      // Other bytes under the same key are another request.
      expect((await upload(`${cv}Teacher, 2015-2019\n`, 'doc-1')).statusCode).toBe(422);
      expect(vi.mocked(canonicalJson).mock.calls.some(([v]) => Buffer.isBuffer(v))).toBe(false);
    });

    it('lets the claim of a request whose process died lapse after five minutes', async () => {
      const clock = new ManualClock('2026-12-01T08:00:00Z');
      t = await createTestApp(engine, { clock });
      const { key, tenantId } = await t.tenantWithKey('acme');
      const outcomes = {
        outcomes: [{ partner_id: 'c-1', loan_id: 'L-1', status: 'paid', observed_at: '2026-11-30' }],
      };
      const report = (idempotencyKey: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/outcomes',
          headers: { authorization: `Bearer ${key}`, 'idempotency-key': idempotencyKey },
          payload: outcomes,
        });
      // What a request leaves when its process is killed while it runs: a claim and no response.
      const db = t.ctx.database.db;
      await db
        .insertInto('idempotency_keys')
        .values({
          tenant_id: tenantId,
          key: 'crashed',
          request_hash: t.ctx.cipher.encrypt(
            requestHash('POST', '/api/v1/outcomes', '/api/v1/outcomes', outcomes),
          ),
          status_code: null,
          response_body: null,
          content_type: null,
          created_at: clock.now().toISOString(),
          subject_id: null,
        })
        .execute();
      const stillRunning = await report('crashed');
      expect(stillRunning.statusCode).toBe(409);
      expect(stillRunning.json()).toMatchObject({ code: 'CREDENCE_CONFLICT' });

      clock.advance(IDEMPOTENCY_CLAIM_LEASE_MS + 1000);
      const retried = await report('crashed');
      expect(retried.statusCode).toBe(201);
      const replay = await report('crashed');
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json()).toEqual(retried.json());

      // A claim that has its response is kept for its whole day, however old its request.
      clock.advance(IDEMPOTENCY_CLAIM_LEASE_MS * 10);
      expect((await report('crashed')).headers['idempotent-replayed']).toBe('true');
    });
  });
}
