import { UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import {
  consumer,
  operatorWith,
  POSTPAID,
  retrieve,
  SCOPE,
  threeLeggedToken,
  twoLeggedToken,
} from '../../../../test/helpers/camara.js';
import { ManualClock } from '../../../../test/helpers/clock.js';
import { ENGINES } from '../../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`CAMARA Customer Insights on ${engine}: security`, () => {
    const clock = new ManualClock('2026-11-21T10:00:00Z');
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp(engine, { clock, keyCacheTtlMs: 0 });
      await operatorWith(t, 'operator-a');
      await t.tenantWithKey('operator-b');
    });
    afterAll(async () => t?.close());

    it("never scores another tenant's subscriber, by phone or by CIBA", async () => {
      const b = await consumer(t, 'operator-b');
      const token = await twoLeggedToken(t, b);
      expect(
        (await retrieve(t, 'v0.3rc1', token, { phoneNumber: POSTPAID.phone_number })).json(),
      ).toMatchObject({
        status: 404,
        code: 'IDENTIFIER_NOT_FOUND',
      });
      await expect(threeLeggedToken(t, b, POSTPAID.phone_number)).rejects.toThrow(/unknown_user_id/);
    });

    it('refuses unsigned tokens, tokens of other dialects and tokens of revoked clients', async () => {
      const a = await consumer(t, 'operator-a');
      const token = await twoLeggedToken(t, a);
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
        string,
        unknown
      >;
      const unsigned = new UnsecuredJWT(claims).encode();
      expect((await retrieve(t, 'v0.2', unsigned, { phoneNumber: POSTPAID.phone_number })).statusCode).toBe(
        401,
      );
      const fs = await t.ctx.oauthClients.create({ tenant: 'operator-a', grants: ['client_credentials'] });
      const fsToken = await t.ctx.tokens.issue(fs, { audience: 'friendlyscore' });
      expect(
        (await retrieve(t, 'v0.2', fsToken.accessToken, { phoneNumber: POSTPAID.phone_number })).statusCode,
      ).toBe(401);
      const three = await threeLeggedToken(t, a, POSTPAID.phone_number);
      expect((await retrieve(t, 'v0.3rc1', three)).statusCode).toBe(200);
      // Revoking forgets the cached state in this process at once.
      await t.ctx.oauthClients.revoke(a.clientId);
      for (const tok of [token, three])
        expect(
          (await retrieve(t, 'v0.3rc1', tok, tok === token ? { phoneNumber: POSTPAID.phone_number } : {}))
            .statusCode,
        ).toBe(401);
    });

    it('the scope must be the exact API scope or one above it', async () => {
      const wide = await consumer(t, 'operator-a', { scopes: ['customer-insights'] });
      expect(
        (
          await retrieve(t, 'v0.3rc1', await twoLeggedToken(t, wide, 'customer-insights'), {
            phoneNumber: POSTPAID.phone_number,
          })
        ).statusCode,
      ).toBe(200);
      const narrow = await consumer(t, 'operator-a', { scopes: [SCOPE] });
      expect(
        (
          await retrieve(t, 'v0.3rc1', await twoLeggedToken(t, narrow), {
            phoneNumber: POSTPAID.phone_number,
          })
        ).statusCode,
      ).toBe(200);
    });
  });
}
