/**
 * Erasing a telco subscriber leaves nothing of them: a subscriber is scored through CAMARA with
 * both kinds of token, given a consent (with an Idempotency-Key) and a backchannel authentication
 * request, then erased, and every row of every table is read for what is left. What stays on
 * purpose is listed in docs/camara.md#erasing-a-subscriber.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/helpers/app.js';
import { createTestApp } from '../../../test/helpers/app.js';
import * as camara from '../../../test/helpers/camara.js';
import { ManualClock } from '../../../test/helpers/clock.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import * as sweeper from '../../../test/helpers/erasure-sweep.js';
import { normaliseIdDocument } from '../../domain/telco/subscriber.js';
import { ID_DOCUMENT_INDEX, PHONE_INDEX } from './subscribers.js';

const { POSTPAID, PREPAID } = camara;
type Line = typeof POSTPAID | typeof PREPAID;

for (const engine of ENGINES) {
  describe(`erasing a telco subscriber on ${engine}: nothing of them is left in any table`, () => {
    let t: TestApp;
    const clock = new ManualClock('2026-11-21T10:00:00Z');

    beforeAll(async () => {
      t = await createTestApp(engine, { clock });
    });
    afterAll(async () => t?.close());

    /** Scores `line` with a 2-legged and a 3-legged token, and grants a consent for it. */
    async function use(tenant: string, key: string, line: Line) {
      const c = await camara.consumer(t, tenant);
      const twoLegged = await camara.twoLeggedToken(t, c);
      expect(
        (await camara.retrieve(t, 'v0.3rc1', twoLegged, { phoneNumber: line.phone_number })).statusCode,
      ).toBe(200);
      const threeLegged = await camara.threeLeggedToken(t, c, line.phone_number);
      expect((await camara.retrieve(t, 'v0.3rc1', threeLegged)).statusCode).toBe(200);
      const granted = await t.app.inject({
        method: 'POST',
        url: '/api/v1/telco/consents',
        headers: {
          authorization: `Bearer ${key}`,
          'idempotency-key': `consent-${tenant}-${line.subscription_type}`,
        },
        payload: { phone_number: line.phone_number, client_id: c.clientId },
      });
      expect(granted.statusCode, granted.body).toBeLessThan(300);
    }

    /** What would name the subscriber: ids, the number and id document, and their blind indexes. */
    function needlesOf(line: Line, ids: { subscriber: string; subject: string }): sweeper.Needle[] {
      const cipher = t.ctx.cipher;
      const document = normaliseIdDocument(line.id_document)!;
      const shared = (label: string, values: string[]) =>
        values.map((value) => ({ label, value, shared: true }));
      return [
        { label: 'subscriber id', value: ids.subscriber },
        { label: 'subject id', value: ids.subject },
        { label: 'phone', value: line.phone_number.slice(4), shared: true },
        { label: 'id document', value: line.id_document, shared: true },
        ...shared('phone blind index', cipher.blindIndexes(PHONE_INDEX, line.phone_number)),
        ...shared('id document blind index', cipher.blindIndexes(ID_DOCUMENT_INDEX, document)),
        ...shared('phone identifier blind index', cipher.blindIndexes('phone', line.phone_number)),
      ];
    }

    it('deletes the subscriber everywhere, and keeps the other line and the other operator', async () => {
      const a = await camara.operatorWith(t, 'operator-a');
      // Another operator knows the same numbers: its records are its own.
      const b = await camara.operatorWith(t, 'operator-b');
      await use('operator-a', a.key, POSTPAID);
      await use('operator-a', a.key, PREPAID);
      await use('operator-b', b.key, POSTPAID);
      await t.ctx.queue.drain();
      const idsOf = async (tenantId: string, line: Line) => {
        const subscriber = (await t.ctx.telco.subscribers.byPhone(tenantId, line.phone_number))!.id;
        const subject = await t.ctx.database.db
          .selectFrom('subjects')
          .select('id')
          .where('tenant_id', '=', tenantId)
          .where('partner_id', '=', subscriber)
          .executeTakeFirstOrThrow();
        return { subscriber, subject: subject.id };
      };
      const erased = await idsOf(a.tenantId, POSTPAID);
      const neighbour = await idsOf(a.tenantId, PREPAID);
      const control = await idsOf(b.tenantId, POSTPAID);

      const sweep = async (line: Line, ids: { subscriber: string; subject: string }) =>
        sweeper.findNeedles(await sweeper.everyTable(t), needlesOf(line, ids), {
          open: sweeper.opener(t),
          controlTenantId: b.tenantId,
        });
      expect(sweeper.unknownTables(await sweeper.everyTable(t)), 'tables the sweep does not know').toEqual(
        [],
      );
      const SEEN = [
        'ciba_requests: subscriber id',
        'score_runs: subject id',
        'subjects: subscriber id',
        'telco_consents: subscriber id',
        'telco_subscribers: id document blind index',
        'telco_subscribers: phone blind index',
      ];
      expect(sweeper.where(await sweep(POSTPAID, erased))).toEqual(expect.arrayContaining(SEEN));
      const controls = async () => ({
        neighbour: sweeper.tally(await sweep(PREPAID, neighbour)),
        control: sweeper.tally(
          sweeper.findNeedles(
            await sweeper.everyTable(t),
            [
              { label: 'subscriber id', value: control.subscriber },
              { label: 'subject id', value: control.subject },
            ],
            { open: sweeper.opener(t), controlTenantId: '' },
          ),
        ),
      });
      const controlsBefore = await controls();
      expect(Object.keys(controlsBefore.neighbour)).toEqual(expect.arrayContaining(SEEN));

      const res = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/telco/subscribers/${encodeURIComponent(POSTPAID.phone_number)}`,
        headers: { authorization: `Bearer ${a.key}` },
      });
      expect(res.statusCode).toBe(200);
      await t.ctx.queue.drain();

      // Kept on purpose: the audit entries of the two erasures (the subscriber's and its score
      // history's), which name the random internal ids and nothing else of the person.
      const after = await sweep(POSTPAID, erased);
      const audited = after.filter((f) => f.table === 'audit_log');
      expect(audited.map((f) => [f.needle, f.row.action, f.row.target_id]).sort()).toEqual([
        ['subject id', 'subject.erase', erased.subject],
        ['subscriber id', 'telco_subscriber.erase', erased.subscriber],
      ]);
      expect(sweeper.where(after.filter((f) => f.table !== 'audit_log'))).toEqual([]);
      expect(await controls()).toEqual(controlsBefore);
    }, 60_000);
  });
}
