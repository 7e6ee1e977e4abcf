/**
 * Scopes say which dialects and services a credential may call. A scope grants itself and
 * everything below it: `cladfy` grants `cladfy:deposit_score`; `*` grants everything.
 * docs/authentication.md lists the scopes each route requires.
 */

export const ALL_SCOPES = '*';

export const SCOPES = {
  cladfy: 'cladfy',
  modelsRead: 'models:read',
  modelsWrite: 'models:write',
  subjectsRead: 'subjects:read',
  subjectsErase: 'subjects:erase',
  scoresWrite: 'scores:write',
  outcomesWrite: 'outcomes:write',
  webhooksRead: 'webhooks:read',
  webhooksWrite: 'webhooks:write',
  friendlyscore: 'friendlyscore',
  applicationsWrite: 'applications:write',
  /** CAMARA Customer Insights: read a subscriber's score. */
  customerInsightsScoring: 'customer-insights:scoring:read',
  /** Read back a telecom subscriber's data and consents. */
  telcoRead: 'telco:read',
  /** Load and erase telecom subscribers and record their consents. */
  telcoWrite: 'telco:write',
  dataWrite: 'data:write',
} as const;

export function grants(granted: readonly string[], required: string): boolean {
  for (const g of granted) {
    if (g === ALL_SCOPES || g === required) return true;
    if (required.startsWith(`${g}:`)) return true;
  }
  return false;
}

/** Every scope something requires: the routes' scopes, Cladfy's per service, and OpenID's. */
const REQUIRED: readonly string[] = [
  ...Object.values(SCOPES),
  'cladfy:demographic_score',
  'cladfy:deposit_score',
  'cladfy:repayment_score',
  'openid',
];

/**
 * A scope that grants something: `*`, a scope some route requires, or one above such a scope
 * (`customer-insights`). Anything else (a typo, a wildcard inside a scope) would be stored and
 * then grant nothing.
 */
export function isValidScope(scope: string): boolean {
  return scope === ALL_SCOPES || REQUIRED.some((r) => r === scope || r.startsWith(`${scope}:`));
}
