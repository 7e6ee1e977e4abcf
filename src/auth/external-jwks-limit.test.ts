/**
 * The operator's JWK Set is read with a limit: an endpoint that answers without end (or with far
 * more than a key set) fails the check as the keys being unreadable, without being held whole.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/helpers/clock.js';
import type { TenantService } from '../services/tenant-service.js';
import { ExternalTokens } from './access-tokens.js';

describe("the operator's JWK Set", () => {
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"keys":[');
    const more = () => {
      while (res.write(chunk)) sent += chunk.length;
      sent += chunk.length;
    };
    res.on('drain', more);
    more();
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('is refused once it passes 512 KiB, and the check is the keys being unreadable', async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const clock = new ManualClock('2026-12-07T10:00:00Z');
    const tokens = new ExternalTokens(
      {
        issuer: 'https://idp.example',
        jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
        subscriberClaim: 'phone_number',
      },
      {} as TenantService,
      clock,
    );
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ client_id: 'bank' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://idp.example')
      .setIssuedAt(Math.floor(clock.now().getTime() / 1000))
      .setExpirationTime('10m')
      .sign(privateKey);
    const failure = await tokens.verify(token).then(
      () => undefined,
      (err: Error & { code?: string }) => err,
    );
    expect(failure?.code).toBe('CREDENCE_UNAVAILABLE');
    expect(String((failure?.cause as Error | undefined)?.message)).toContain('is larger than 524288 bytes');
    expect(sent).toBeLessThan(32 * 1024 * 1024);
  });
});
