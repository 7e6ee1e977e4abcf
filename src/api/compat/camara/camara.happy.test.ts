import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import {
  type Consumer,
  consumer,
  operatorWith,
  POSTPAID,
  PREPAID,
  retrieve,
  threeLeggedToken,
  twoLeggedToken,
  VERSIONS,
} from '../../../../test/helpers/camara.js';
import { ManualClock } from '../../../../test/helpers/clock.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import { gaugeMetric, veritasIndex } from '../../../domain/telco/scales.js';
import { checkSubscriber, scoringAttributes } from '../../../domain/telco/subscriber.js';

for (const engine of ENGINES) {
  describe(`CAMARA Customer Insights on ${engine}: happy paths`, () => {
    let t: TestApp;
    let c: Consumer;
    let twoLegged: string;
    let tenantId: string;
    const clock = new ManualClock('2026-11-21T10:00:00Z');

    beforeAll(async () => {
      t = await createTestApp(engine, { clock });
      ({ tenantId } = await operatorWith(t, 'operator'));
      c = await consumer(t, 'operator');
      twoLegged = await twoLeggedToken(t, c);
    });
    afterAll(async () => t?.close());

    for (const version of VERSIONS) {
      it(`${version}: scores a phone number with a 2-legged token, on the default and on each scale`, async () => {
        const dflt = await retrieve(t, version, twoLegged, { phoneNumber: POSTPAID.phone_number });
        expect(dflt.statusCode).toBe(200);
        const gauge = dflt.json() as { scoringType: string; scoringValue: number };
        expect(gauge.scoringType).toBe('gaugeMetric');
        const veritas = (
          await retrieve(t, version, twoLegged, {
            phoneNumber: POSTPAID.phone_number,
            scoringType: 'veritasIndex',
          })
        ).json() as { scoringType: string; scoringValue: number };
        expect(veritas.scoringType).toBe('veritasIndex');
        // Both values come from the PD of the telco_score scorecard.
        const { champion } = await t.ctx.models.servingModels(tenantId, 'telco_score');
        const subscriber = checkSubscriber(POSTPAID, clock.now());
        const pd = champion!.scorecard.evaluate(scoringAttributes(subscriber, clock.now())).pd;
        expect(veritas.scoringValue).toBe(veritasIndex(pd));
        expect(gauge.scoringValue).toBe(gaugeMetric(pd));
      });

      it(`${version}: a postpaid subscriber who pays on time scores better than a prepaid one with SIM swaps`, async () => {
        const score = async (phone: string, scoringType: string) =>
          (
            (await retrieve(t, version, twoLegged, { phoneNumber: phone, scoringType })).json() as {
              scoringValue: number;
            }
          ).scoringValue;
        expect(await score(POSTPAID.phone_number, 'gaugeMetric')).toBeGreaterThan(
          await score(PREPAID.phone_number, 'gaugeMetric'),
        );
        expect(await score(POSTPAID.phone_number, 'veritasIndex')).toBeLessThan(
          await score(PREPAID.phone_number, 'veritasIndex'),
        );
      });

      it(`${version}: scores with an idDocument that matches the phone number, however it is written`, async () => {
        const res = await retrieve(t, version, twoLegged, {
          phoneNumber: PREPAID.phone_number,
          idDocument: 'a-1234567',
        });
        expect(res.statusCode).toBe(200);
      });

      it(`${version}: names a subscriber by a number written with its trunk 0, as the load reads it`, async () => {
        const trunk = PREPAID.phone_number.replace('+254', '+2540');
        const res = await retrieve(t, version, twoLegged, { phoneNumber: trunk });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual(
          (await retrieve(t, version, twoLegged, { phoneNumber: PREPAID.phone_number })).json(),
        );
        const token = await threeLeggedToken(t, c, trunk);
        expect((await retrieve(t, version, token, {})).statusCode).toBe(200);
      });

      it(`${version}: scores the subscriber of a 3-legged (CIBA) token without a phoneNumber`, async () => {
        const token = await threeLeggedToken(t, c, POSTPAID.phone_number);
        const three = await retrieve(
          t,
          version,
          token,
          { scoringType: 'veritasIndex' },
          { 'x-correlator': 'b4333c46-49c0-4f62-80d7-f0ef930f1c46' },
        );
        expect(three.statusCode).toBe(200);
        expect(three.headers['x-correlator']).toBe('b4333c46-49c0-4f62-80d7-f0ef930f1c46');
        const two = await retrieve(t, version, twoLegged, {
          phoneNumber: POSTPAID.phone_number,
          scoringType: 'veritasIndex',
        });
        expect(three.json()).toEqual(two.json());
        const withDocument = await retrieve(t, version, token, { idDocument: POSTPAID.id_document });
        expect(withDocument.statusCode).toBe(200);
      });
    }
  });
}
