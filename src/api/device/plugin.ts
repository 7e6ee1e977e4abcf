/**
 * `POST /api/v1/device-sync`: what a lender's Android app calls with a device key (type `device`),
 * a credential that can do nothing else, from the addresses its allowlist names. Errors are
 * problem+json, and an `Accept` that admits neither JSON nor problem+json is a 406, as on the rest
 * of /api/v1.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { assertAddressAllowed, bearerToken, headerValue, unauthenticated } from '../auth-hooks.js';
import { routeNotFound } from '../http-errors.js';
import { notAcceptable } from '../native/accept.js';
import { API_KEY_SECURITY, documentProblems, ProblemSchema } from '../native/problem.js';
import { answerErrorsWithProblems } from '../problem-handlers.js';
import { leaveBodyUnread } from '../unknown-path-body.js';
import { SyncBody, SyncSummarySchema } from './schemas.js';

/** 20,000 messages with their text are well over the API's usual 1 MiB. */
export const SYNC_BODY_LIMIT = 32 * 1024 * 1024;

export const deviceSyncApi: FastifyPluginAsyncTypebox = async (app) => {
  app.removeContentTypeParser('text/plain');
  // Its errors are documented as the native API's are: no rate limit, no Idempotency-Key here.
  documentProblems(app, {
    rateLimited: false,
    idempotent: false,
    negotiated: true,
    security: API_KEY_SECURITY,
  });
  answerErrorsWithProblems(app);
  app.addHook('onRequest', (req, _reply, done) => done(req.is404 ? undefined : notAcceptable(req)));
  app.addHook('onRequest', async (req) => {
    const check = await app.ctx.keyAuth.check(bearerToken(req) ?? headerValue(req, 'x-api-key'), ['device']);
    if (!check.ok) throw unauthenticated(check, 'device key');
    assertAddressAllowed(req, check.principal);
    req.principal = check.principal;
  });

  // Another method on the sync path: the native API's 404 for a method and path it does not serve,
  // once the device key is checked. Left to the parent's not-found handler, which takes server
  // keys, a device key was refused as the wrong type of key: the key is right, the method is not.
  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/device-sync',
    preParsing: leaveBodyUnread,
    schema: { hide: true },
    handler: async (req) => {
      throw routeNotFound(req);
    },
  });

  app.post(
    '/device-sync',
    {
      bodyLimit: SYNC_BODY_LIMIT,
      // An SMS body is stored encrypted, and may hold a NUL; the ids, stored as they are, may not.
      config: { textMayHoldNul: true },
      schema: {
        tags: ['device'],
        summary:
          "Sync a batch of a customer's device data (SMS, apps, calls, contacts, device, locations, permissions)",
        description:
          'Authenticated by a device key. A batch id already stored for the customer is answered 200 with what it stored then (replayed: true); SMS already stored are skipped.',
        body: SyncBody,
        response: {
          200: SyncSummarySchema,
          201: SyncSummarySchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const { replayed, summary } = await app.ctx.device.sync.sync(req.principal!, {
        customerId: b.customer_id,
        batchId: b.batch_id,
        sms: b.sms ?? [],
        apps: b.apps?.map((a) => ({
          package: a.package,
          name: a.name,
          firstInstallTime: a.first_install_time,
          lastUpdateTime: a.last_update_time,
        })),
        calls: b.calls?.map((c) => ({
          type: c.type as 'incoming',
          duration: c.duration,
          time: c.timestamp,
          number: c.number_hash,
        })),
        contactsCount: b.contacts_count,
        device: b.device && {
          model: b.device.model,
          brand: b.device.brand,
          os: b.device.os,
          osVersion: b.device.os_version,
          ramMb: b.device.ram_mb,
          storageMb: b.device.storage_mb,
          rooted: b.device.rooted,
        },
        locations: b.locations?.map((l) => ({
          lat: l.lat,
          lon: l.lon,
          time: l.timestamp,
          accuracy: l.accuracy,
          mock: l.mock,
        })),
        permissions: b.permissions,
      });
      return reply.code(replayed ? 200 : 201).send({ ...summary, replayed });
    },
  );
};
