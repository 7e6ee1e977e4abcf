/**
 * Subscribers' consents to be scored by an API consumer (an OAuth client) for a scope. A 3-legged
 * token is honoured only while its consent stands: revoking it stops the token at once. The
 * operator records consents through the native API (or the `consent: auto` policy records one for
 * every CIBA request it approves).
 */
import type { Kysely } from 'kysely';
import { grants, isValidScope } from '../../auth/scopes.js';
import { isUniqueViolation } from '../../db/constraint-violation.js';
import { findOAuthClient } from '../../db/repositories/oauth.repository.js';
import {
  findConsent,
  insertConsent,
  listActiveConsents,
  listConsents,
  revokeConsent,
} from '../../db/repositories/telco.repository.js';
import type { Database, TelcoConsentRow } from '../../db/schema.js';
import { invalidInput, notFound } from '../../domain/errors.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { audit } from '../audit.js';
import type { SubscriberService } from './subscribers.js';

export interface Consent {
  id: string;
  subscriberId: string;
  clientId: string;
  scope: string;
  source: string;
  grantedAt: string;
  revokedAt: string | null;
}

const toConsent = (r: TelcoConsentRow): Consent => ({
  id: r.id,
  subscriberId: r.subscriber_id,
  clientId: r.oauth_client_id,
  scope: r.scope,
  source: r.source,
  grantedAt: r.granted_at,
  revokedAt: r.revoked_at,
});

export class ConsentService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly subscribers: SubscriberService,
  ) {}

  /**
   * Records a consent by phone number, in E.164 form however spaced (400 for a bad number, 404 if no
   * subscriber has it); a consent already standing is returned as it is.
   */
  async grantByPhone(
    tenantId: string,
    o: { phone: string; clientId: string; scope: string; source: string; actor: string },
  ): Promise<{ consent: Consent; created: boolean }> {
    // A scope that is no scope (a typo, two scopes in one) would be stored and never cover anything.
    if (!isValidScope(o.scope)) throw invalidInput('scope', `${o.scope} is not a scope`);
    const subscriber = await this.subscribers.named(tenantId, o.phone);
    const client = await findOAuthClient(this.db, o.clientId);
    if (!client || client.tenant_id !== tenantId)
      throw invalidInput('client_id', `no OAuth client ${o.clientId} in this tenant`);
    return this.grant(tenantId, subscriber.id, o.clientId, o.scope, o.source, o.actor);
  }

  async grant(
    tenantId: string,
    subscriberId: string,
    clientId: string,
    scope: string,
    source: string,
    actor: string,
  ): Promise<{ consent: Consent; created: boolean }> {
    const standing = await this.standing(subscriberId, clientId, scope);
    if (standing) return { consent: toConsent(standing), created: false };
    const row: TelcoConsentRow = {
      id: newId('cns'),
      tenant_id: tenantId,
      subscriber_id: subscriberId,
      oauth_client_id: clientId,
      scope,
      source,
      granted_at: this.clock.now().toISOString(),
      revoked_at: null,
    };
    try {
      await insertConsent(this.db, row);
    } catch (err) {
      // Recorded at the same moment by another request: one consent stands (a unique index says so).
      const other = isUniqueViolation(err) ? await this.standing(subscriberId, clientId, scope) : undefined;
      if (other) return { consent: toConsent(other), created: false };
      throw err;
    }
    await audit(this.db, this.clock, {
      tenantId,
      actor,
      action: 'telco_consent.grant',
      targetType: 'telco_consent',
      targetId: row.id,
      details: { client_id: clientId, scope, source },
    });
    return { consent: toConsent(row), created: true };
  }

  private async standing(subscriberId: string, clientId: string, scope: string) {
    return (await listActiveConsents(this.db, subscriberId, clientId)).find((c) => c.scope === scope);
  }

  /** Withdraws a consent of the tenant; of any tenant when none is given (the operator's CLI). */
  async revoke(tenantId: string | undefined, id: string, actor: string): Promise<Consent> {
    const row = await findConsent(this.db, tenantId, id);
    if (!row) throw notFound('consent', id);
    await revokeConsent(this.db, id, this.clock.now().toISOString());
    await audit(this.db, this.clock, {
      tenantId: row.tenant_id,
      actor,
      action: 'telco_consent.revoke',
      targetType: 'telco_consent',
      targetId: id,
    });
    return toConsent((await findConsent(this.db, row.tenant_id, id))!);
  }

  /** Every consent the subscriber gave, standing or withdrawn, oldest first. */
  async of(subscriberId: string): Promise<Consent[]> {
    return (await listConsents(this.db, subscriberId)).map(toConsent);
  }

  /** Whether a standing consent covers `scope`: a consent to a scope covers those below it, as a token's scope does. */
  async isGranted(subscriberId: string, clientId: string, scope: string): Promise<boolean> {
    const standing = await listActiveConsents(this.db, subscriberId, clientId);
    return grants(
      standing.map((c) => c.scope),
      scope,
    );
  }
}
