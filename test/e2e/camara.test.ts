/**
 * The CAMARA flow as an operator and a bank would run it: the operator loads subscribers from a
 * CSV and creates the bank's client with the CLI; the bank, over HTTP against a real server, gets
 * a 2-legged token, then a 3-legged one through CIBA, and retrieves scores with both.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/databases.js';
import { type RunningServer, runCli, startServer } from '../helpers/processes.js';

type Json = Record<string, string>;

const CSV = `phone_number,id_document,subscription_type,activation_date,arpu,bill_payment_delay_days,late_bills_12m,sim_swaps_12m,roaming_days_12m
+254712345678,12345678,postpaid,2019-03-01,25,0,0,0,4
+254722000111,A1234567,prepaid,2024-01-15,4,,,2,
`;

for (const engine of ENGINES) {
  describe(`CAMARA end to end on ${engine}`, () => {
    let db: TestDatabase;
    let server: RunningServer | undefined;
    let env: Record<string, string>;

    beforeAll(async () => {
      db = await createTestDatabase(engine);
      env = { ...db.env, CREDENCE_PUBLIC_URL: 'https://scores.operator.example' };
      expect(runCli(['tenant', 'create', 'operator', '--json'], env).status).toBe(0);
    });
    afterAll(async () => {
      await server?.stop();
      await db.drop();
    });

    it('imports subscribers from a CSV, all or nothing, naming the bad line', () => {
      const bad = path.join(db.dir, 'bad.csv');
      fs.writeFileSync(bad, `${CSV}+254733000222,,corporate,2020-01-01,1,,,,\n`);
      const refused = runCli(['telco', 'import', bad, '--tenant', 'operator', '--json'], env);
      expect(refused.status).toBe(1);
      expect(refused.json().error.message).toMatch(
        /bad\.csv line 4: subscription_type must be one of prepaid, postpaid, b2b/,
      );
      // A feature in hexadecimal is no number a data file means.
      const hex = path.join(db.dir, 'hex.csv');
      fs.writeFileSync(hex, `${CSV}+254733000222,,prepaid,2020-01-01,0x10,,,,\n`);
      expect(
        runCli(['telco', 'import', hex, '--tenant', 'operator', '--json'], env).json().error,
      ).toMatchObject({
        message: expect.stringMatching(/hex\.csv line 4.*"0x10" is not a number/),
      });
      const wrongHeader = path.join(db.dir, 'header.csv');
      fs.writeFileSync(
        wrongHeader,
        'msisdn,id_document,subscription_type,activation_date\n+254712345678,1,prepaid,2020-01-01\n',
      );
      expect(runCli(['telco', 'import', wrongHeader, '--json'], env).json().error.message).toMatch(
        /column 1 must be phone_number/,
      );
      const good = path.join(db.dir, 'subscribers.csv');
      fs.writeFileSync(good, CSV);
      const loaded = runCli(['telco', 'import', good, '--tenant', 'operator', '--json'], env);
      expect(loaded.status).toBe(0);
      expect(loaded.json()).toMatchObject({ received: 2, created: 2, updated: 0 });
      expect(runCli(['telco', 'import', good, '--json'], env).json()).toMatchObject({
        created: 0,
        updated: 2,
      });
    });

    it('serves a bank: client credentials, CIBA, and scores with both tokens', async () => {
      const client = runCli(
        [
          'client',
          'create',
          '--tenant',
          'operator',
          '--grant',
          'client_credentials,urn:openid:params:grant-type:ciba',
          '--scopes',
          'customer-insights:scoring:read',
          '--json',
        ],
        env,
      ).json();
      expect(client.scopes).toEqual(['customer-insights:scoring:read']);
      server = await startServer(env);
      const basic = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
      const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic };
      const discovery = (await (
        await fetch(`${server.url}/.well-known/openid-configuration`)
      ).json()) as Json;
      expect(discovery.issuer).toBe('https://scores.operator.example');

      const cc = (await (
        await fetch(`${server.url}/oauth2/token`, {
          method: 'POST',
          headers: form,
          body: 'grant_type=client_credentials&scope=customer-insights%3Ascoring%3Aread',
        })
      ).json()) as Json;
      const two = await fetch(`${server.url}/customer-insights/v0.3rc1/scoring/retrieve`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${cc.access_token}`,
          'content-type': 'application/json',
          'x-correlator': 'e2e-1',
        },
        body: JSON.stringify({ phoneNumber: '+254712345678', scoringType: 'veritasIndex' }),
      });
      expect(two.status).toBe(200);
      expect(two.headers.get('x-correlator')).toBe('e2e-1');
      const score = await two.json();
      expect(score).toEqual({ scoringType: 'veritasIndex', scoringValue: expect.any(Number) });

      const started = (await (
        await fetch(`${server.url}/oauth2/bc-authorize`, {
          method: 'POST',
          headers: form,
          body: 'scope=openid%20customer-insights%3Ascoring%3Aread&login_hint=tel%3A%2B254712345678',
        })
      ).json()) as Json;
      const ciba = (await (
        await fetch(`${server.url}/oauth2/token`, {
          method: 'POST',
          headers: form,
          body: `grant_type=urn%3Aopenid%3Aparams%3Agrant-type%3Aciba&auth_req_id=${started.auth_req_id}`,
        })
      ).json()) as Json;
      const three = await fetch(`${server.url}/customer-insights/v0.2/scoring/retrieve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ciba.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scoringType: 'veritasIndex' }),
      });
      expect(await three.json()).toEqual(score);
    });

    it('erases a subscriber with the CLI: the bank then finds nobody', async () => {
      const shown = runCli(['telco', 'show', '--phone', '+254712345678', '--json'], env);
      expect(shown.status).toBe(0);
      expect(shown.json()).toMatchObject({
        phone_number: '+254712345678',
        id_document: '12345678',
        subscription_type: 'postpaid',
        features: {
          arpu: 25,
          bill_payment_delay_days: 0,
          late_bills_12m: 0,
          sim_swaps_12m: 0,
          roaming_days_12m: 4,
        },
        // The CIBA request of the bank above, approved by the default consent policy.
        consents: [{ scope: 'customer-insights:scoring:read', source: 'auto', revoked_at: null }],
      });
      const erased = runCli(
        ['telco', 'erase', '--phone', '+254712345678', '--tenant', 'operator', '--json'],
        env,
      );
      expect(erased.status).toBe(0);
      expect(erased.json()).toMatchObject({ erased: { ciba_requests: 1, score_runs: 2 } });
      const again = runCli(['telco', 'erase', '--phone', '+254712345678', '--json'], env);
      expect(again.status).toBe(1);
      expect(again.json().error.message).toMatch(/not found/);

      const client = runCli(
        ['client', 'create', '--tenant', 'operator', '--grant', 'client_credentials', '--json'],
        env,
      ).json();
      const basic = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
      const cc = (await (
        await fetch(`${server!.url}/oauth2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
          body: 'grant_type=client_credentials&scope=customer-insights%3Ascoring%3Aread',
        })
      ).json()) as Json;
      const gone = await fetch(`${server!.url}/customer-insights/v0.3rc1/scoring/retrieve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${cc.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ phoneNumber: '+254712345678' }),
      });
      expect(gone.status).toBe(404);
      expect(await gone.json()).toMatchObject({ code: 'IDENTIFIER_NOT_FOUND' });
    });

    it('on a free port (0) without CREDENCE_PUBLIC_URL, is the issuer at the port it listens on', async () => {
      const { CREDENCE_PUBLIC_URL: _, ...derived } = env;
      const own = await startServer(derived);
      try {
        expect(own.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
        const discovery = (await (await fetch(`${own.url}/.well-known/openid-configuration`)).json()) as Json;
        expect(discovery).toMatchObject({
          issuer: own.url,
          token_endpoint: `${own.url}/oauth2/token`,
          jwks_uri: `${own.url}/oauth2/jwks`,
          backchannel_authentication_endpoint: `${own.url}/oauth2/bc-authorize`,
        });
        const client = runCli(
          ['client', 'create', '--tenant', 'operator', '--grant', 'client_credentials', '--json'],
          env,
        ).json();
        const cc = (await (
          await fetch(discovery.token_endpoint!, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: `grant_type=client_credentials&client_id=${client.client_id}&client_secret=${client.client_secret}`,
          })
        ).json()) as Json;
        expect(decodeJwt(cc.access_token!)).toMatchObject({ iss: own.url, aud: own.url });
        const scored = await fetch(`${own.url}/customer-insights/v0.3rc1/scoring/retrieve`, {
          method: 'POST',
          headers: { authorization: `Bearer ${cc.access_token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ phoneNumber: '+254722000111' }),
        });
        expect(scored.status).toBe(200);
      } finally {
        await own.stop();
      }
    });
  });
}
