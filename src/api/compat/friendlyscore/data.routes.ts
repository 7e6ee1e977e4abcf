/**
 * What is known about a user, source by source: the IP addresses its requests reported, IP risk
 * data, each network's profile, and the parts of a CV found in its Gmail attachments. Until a
 * data connector has gathered something, these answer with what was submitted (the IP addresses)
 * or 204 No Content (202 while a calculation is still running); never with made-up data.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { NETWORKS } from '../../../domain/footprint/networks.js';
import { IP_ADDRESS_NOTICE } from '../../../domain/footprint/notices.js';
import { CV_PARTS, cvKind, FRAUD_KIND, socialKind } from '../../../domain/footprint/records.js';
import { type Device, parseDevice } from '../../../domain/footprint/user-agent.js';
import { canonicalAddress } from '../../../domain/network.js';
import type { FriendlyScoreUser } from '../../../services/friendlyscore/users.js';
import {
  AccessTokenQuery,
  FrameworkError,
  GatheredData,
  IpAddressData,
  Pending,
  SocialNetworkData,
  UserParams,
} from './schemas.js';
import { findUser } from './users.js';

const tags = ['friendlyscore'];
const security = [{ friendlyScoreBearer: [] }];
const responses = (ok: unknown) => ({
  200: ok,
  202: Pending,
  204: { type: 'null' },
  400: FrameworkError,
  401: FrameworkError,
  403: FrameworkError,
  404: FrameworkError,
});

/** 202 while a calculation of the user is still running, else 204: nothing is known yet. */
async function nothingYet(app: FastifyInstance, reply: FastifyReply, user: FriendlyScoreUser) {
  const state = await app.ctx.friendlyscore.scoring.state(user);
  if (state.state === 'pending') {
    return reply.code(202).send({
      result: 'queued',
      message: 'Score calculation is scheduled - data will be available soon.',
      user_id: String(user.number),
    });
  }
  return reply.code(204).send();
}

export const dataRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const gathered = (path: string, kind: string, summary: string) =>
    app.get(
      path,
      {
        schema: {
          tags,
          security,
          summary,
          params: UserParams,
          querystring: AccessTokenQuery,
          response: responses(GatheredData),
        },
      },
      async (req, reply) => {
        const user = await findUser(app, req, req.params);
        const record = (await app.ctx.dataRecords.latest(user.tenantId, user.subjectId, [kind])).get(kind);
        return record ? record.data : nothingYet(app, reply, user);
      },
    );

  for (const network of NETWORKS) {
    gathered(
      `/api/v2/users/:idType/:id/${network}-data.json`,
      socialKind(network),
      `The user's ${network} data`,
    );
  }
  app.get(
    '/api/v2/users/:idType/:id/show/social-network-data.json',
    {
      schema: {
        tags,
        security,
        summary: "What each network's connector read about the user, by network",
        params: UserParams,
        querystring: AccessTokenQuery,
        response: responses(SocialNetworkData),
      },
    },
    async (req, reply) => {
      const user = await findUser(app, req, req.params);
      const kinds = NETWORKS.map(socialKind);
      const records = await app.ctx.dataRecords.latest(user.tenantId, user.subjectId, kinds);
      const networks: Record<string, unknown> = {};
      for (const n of NETWORKS) {
        const r = records.get(socialKind(n));
        if (r) networks[n] = r.data;
      }
      if (Object.keys(networks).length === 0) return nothingYet(app, reply, user);
      return { user_id: String(user.number), networks };
    },
  );
  for (const part of CV_PARTS) {
    gathered(
      `/api/v2/users/:idType/:id/google/raw-file-data/${part}.json`,
      cvKind(part),
      `The user's ${part.replace('-', ' ')} found by the CV parser in Gmail attachments`,
    );
  }
  gathered(
    '/api/v2/users/:idType/:id/show/min-fraud-data.json',
    FRAUD_KIND,
    "The user's fraud (IP risk) data",
  );

  app.get(
    '/api/v2/users/:idType/:id/show/ip-address-data.json',
    {
      schema: {
        tags,
        security,
        summary:
          'The IP addresses the requests for the user reported, with where they are and who runs them, and the device',
        params: UserParams,
        querystring: AccessTokenQuery,
        response: responses(IpAddressData),
      },
    },
    async (req, reply) => {
      const user = await findUser(app, req, req.params);
      const records = await app.ctx.dataRecords.list(user.tenantId, user.subjectId, [
        'ip_address',
        'user_agent',
      ]);
      let device: Device | null = null;
      const seen = new Map<string, { first: string; last: string; times: number }>();
      for (const r of records) {
        if (r.kind === 'user_agent') {
          device = parseDevice(r.data as Record<string, unknown>);
          continue;
        }
        const raw = (r.data as { ip?: unknown }).ip;
        if (typeof raw !== 'string') continue;
        // One address however it was written (`::ffff:41.90.70.1` is `41.90.70.1`).
        const ip = canonicalAddress(raw) ?? raw;
        const s = seen.get(ip);
        if (s) {
          s.last = r.createdAt;
          s.times++;
        } else seen.set(ip, { first: r.createdAt, last: r.createdAt, times: 1 });
      }
      if (seen.size === 0) return nothingYet(app, reply, user);
      return {
        user_id: String(user.number),
        ip_addresses: await Promise.all(
          [...seen].map(async ([ip, s]) => {
            const info = await app.ctx.ipIntelligence.lookup(ip);
            return {
              ...info,
              ip_address_notice: info.valid_public_address ? null : IP_ADDRESS_NOTICE,
              first_seen: s.first,
              last_seen: s.last,
              times_seen: s.times,
            };
          }),
        ),
        device,
      };
    },
  );
};
