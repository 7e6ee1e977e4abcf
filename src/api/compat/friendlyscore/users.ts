/** Reading the user a path names, in FriendlyScore's terms. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FriendlyScoreUser, UserRef } from '../../../services/friendlyscore/users.js';
import { userNotFoundResponse } from './errors.js';
import { noRoute } from './route-methods.js';

export interface UserParams {
  idType: string;
  id: string;
}

/** The {id-type}s of FriendlyScore's user paths. */
export const isIdType = (t: string): boolean => t === 'id' || t === 'partner-id';

/** The reference a path's {id-type}/{id} make; an unknown id-type is a path FriendlyScore does not serve. */
export function userRef(req: FastifyRequest, p: UserParams): UserRef {
  if (p.idType === 'partner-id') return { type: 'partner-id', value: p.id };
  if (p.idType === 'id') {
    if (!/^[1-9]\d{0,14}$/.test(p.id)) throw userNotFoundResponse();
    return { type: 'id', value: Number(p.id) };
  }
  throw noRoute(req, []);
}

export async function findUser(
  app: FastifyInstance,
  req: FastifyRequest,
  p: UserParams,
): Promise<FriendlyScoreUser> {
  const user = await app.ctx.friendlyscore.users.find(req.principal!.tenantId, userRef(req, p));
  if (!user) throw userNotFoundResponse();
  return user;
}

/** `{result: "success", message, user_id}`, the shape of the seed's calculate_score answer. */
export const success = (message: string, user: FriendlyScoreUser) => ({
  result: 'success' as const,
  message,
  user_id: String(user.number),
});
