/**
 * Backchannel authentication (OpenID CIBA Core 1.0, poll mode) for telecom subscribers: an API
 * consumer names the subscriber with `login_hint=tel:+...` and the scopes it wants; the operator's
 * consent policy decides at once (`auto` approves and records the consent, `record` approves only
 * what a consent record covers), and the consumer then redeems the `auth_req_id` once at the token
 * endpoint for a token bound to the subscriber.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { OAuthClient } from '../../auth/oauth-clients.js';
import { isPurpose, purposeIn } from '../../auth/scopes.js';
import {
  deleteCibaRequestsExpiredBefore,
  findCibaRequest,
  insertCibaRequest,
  redeemCibaRequest,
} from '../../db/repositories/telco.repository.js';
import type { Database } from '../../db/schema.js';
import type { ConsentPolicy } from '../../domain/telco/operator-config.js';
import type { Clock } from '../../lib/clock.js';
import type { ConsentService } from './consents.js';
import type { SubscriberService } from './subscribers.js';

/** How long an expired request is kept, for a late poll to be told it expired. */
const CIBA_KEPT_AFTER_EXPIRY_MS = 3600_000;

/** How long an auth_req_id may be redeemed (CIBA §7.3 `expires_in`). */
export const CIBA_EXPIRES_IN = 120;
/** Seconds a client waits between polls (CIBA §7.3 `interval`). */
export const CIBA_INTERVAL = 2;
/** A URI scheme is case-insensitive (RFC 3986 §3.1): `TEL:+...` is the same hint as `tel:+...`. */
const PHONE_HINT = /^tel:(\+[1-9][0-9]{4,14})$/i;
/** The CAMARA profile's other login_hint forms, which name a device or a network session. */
const OTHER_CAMARA_HINT = /^(ipport|operatortoken):\S/i;

/** A refusal in the vocabulary of CIBA §13 and RFC 6749 §5.2. */
export class CibaError extends Error {
  override name = 'CibaError';
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

export class CibaService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly subscribers: SubscriberService,
    private readonly consents: ConsentService,
    private readonly policy: () => ConsentPolicy,
  ) {}

  /**
   * Starts a request; `scopes` are those of the API (openid and the like already set aside), at
   * least one: the token will carry exactly these, and each needs its consent. A declared
   * `purpose` (`dpv:...`) is kept with the request and carried by its token.
   */
  async start(client: OAuthClient, loginHint: string, scopes: readonly string[], purpose?: string) {
    if (scopes.length === 0) throw new CibaError('invalid_scope', 'No API scope was asked for');
    const m = PHONE_HINT.exec(loginHint.trim());
    // Well formed, but this provider holds no network sessions to resolve them against.
    if (!m && OTHER_CAMARA_HINT.test(loginHint.trim()))
      throw new CibaError(
        'unknown_user_id',
        'Only tel: login hints can be resolved to a subscriber here; ipport: and operatortoken: cannot',
      );
    if (!m)
      throw new CibaError(
        'invalid_request',
        `login_hint must be tel: and a phone number in E.164 (tel:+...)${
          // A + written unencoded in a form body arrives as a space.
          /^tel: \d/i.test(loginHint) ? '; the + arrived as a space: send it as %2B' : ''
        }`,
      );
    const subscriber = await this.subscribers.byPhoneClaim(client.tenantId, m[1]!);
    if (!subscriber)
      throw new CibaError('unknown_user_id', 'The login_hint names no subscriber of this operator');
    let approved = true;
    for (const scope of scopes) {
      if (this.policy() === 'auto')
        await this.consents.grant(
          client.tenantId,
          subscriber.id,
          client.clientId,
          scope,
          'auto',
          client.clientId,
        );
      else if (!(await this.consents.isGranted(subscriber.id, client.clientId, scope))) approved = false;
    }
    const now = this.clock.now();
    // The client must authenticate to redeem it; it is random all the same (CIBA §7.3).
    const id = randomBytes(24).toString('base64url');
    await insertCibaRequest(this.db, {
      id,
      tenant_id: client.tenantId,
      oauth_client_id: client.clientId,
      subscriber_id: subscriber.id,
      // The purpose rides with the scopes: it is recognisable by its `dpv:` and grants nothing.
      scope: (purpose ? [...scopes, purpose] : scopes).join(' '),
      status: approved ? 'approved' : 'denied',
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + CIBA_EXPIRES_IN * 1000).toISOString(),
      redeemed_at: null,
    });
    return { authReqId: id, expiresIn: CIBA_EXPIRES_IN, interval: CIBA_INTERVAL };
  }

  /**
   * Forgets requests an hour after they expired: until then a late poll is told its auth_req_id
   * expired (`expired_token`), after it that it is unknown. How many went.
   */
  async purgeExpired(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - CIBA_KEPT_AFTER_EXPIRY_MS).toISOString();
    return deleteCibaRequestsExpiredBefore(this.db, before);
  }

  /** Redeems a request of this client, once: the subscriber and scopes its token is for, and the declared purpose. */
  async redeem(
    client: OAuthClient,
    authReqId: string,
  ): Promise<{ subscriberId: string; scopes: string[]; purpose: string | undefined }> {
    const row = await findCibaRequest(this.db, authReqId);
    if (!row || row.oauth_client_id !== client.clientId || row.redeemed_at !== null)
      throw new CibaError(
        'invalid_grant',
        'The auth_req_id is unknown, was issued to another client or was used',
      );
    if (Date.parse(row.expires_at) <= this.clock.now().getTime())
      throw new CibaError('expired_token', 'The auth_req_id has expired: start a new authentication request');
    if (row.status !== 'approved')
      throw new CibaError('access_denied', 'The subscriber has not consented to this request');
    if (!(await redeemCibaRequest(this.db, row.id, this.clock.now().toISOString())))
      throw new CibaError(
        'invalid_grant',
        'The auth_req_id is unknown, was issued to another client or was used',
      );
    const asked = row.scope.split(' ').filter((s) => s !== '');
    const scopes = asked.filter((s) => !isPurpose(s));
    // A request that asked for no API scope gets no token (an empty list would mean all of the client's).
    if (scopes.length === 0)
      throw new CibaError('invalid_grant', 'The authentication request asked for no API scope');
    return { subscriberId: row.subscriber_id, scopes, purpose: purposeIn(asked) };
  }
}
