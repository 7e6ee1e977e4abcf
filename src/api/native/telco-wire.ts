/** How the native API and the CLI's `--json` show a telco subscriber, a consent and an erasure. */
import type { Consent } from '../../services/telco/consents.js';
import type { SubscriberErasureResult } from '../../services/telco/subscriber-erasure.js';
import type { SubscriberRecord } from '../../services/telco/subscribers.js';

export const wireConsent = (c: Consent) => ({
  consent_id: c.id,
  subscriber_id: c.subscriberId,
  client_id: c.clientId,
  scope: c.scope,
  source: c.source,
  granted_at: c.grantedAt,
  revoked_at: c.revokedAt,
});

export const wireSubscriber = (s: SubscriberRecord, consents: readonly Consent[]) => ({
  subscriber_id: s.id,
  phone_number: s.phone,
  id_document: s.idDocument,
  subscription_type: s.subscriptionType,
  activation_date: s.activationDate,
  features: s.features,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
  consents: consents.map(wireConsent),
});

export const wireErasure = (r: SubscriberErasureResult) => ({
  subscriber_id: r.subscriberId,
  erased: { consents: r.consents, ciba_requests: r.cibaRequests, score_runs: r.scoreRuns },
});
