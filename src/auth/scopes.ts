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
 * A purpose as the CAMARA Security and Interoperability Profile declares it ("Purpose as a scope"):
 * `dpv:` and a purpose of the W3C Data Privacy Vocabulary, such as `dpv:CreditChecking`. It grants
 * nothing: a token carries it beside its scopes, and a score asked for with the token keeps it.
 */
const PURPOSE = /^dpv:[A-Za-z][A-Za-z0-9]*$/;

export const isPurpose = (scope: string): boolean => PURPOSE.test(scope);

/** The purpose a token's scopes declare, if any. */
export function purposeIn(scopes: readonly string[]): string | undefined {
  return scopes.find(isPurpose);
}

/**
 * A scope that grants something: `*`, a scope some route requires, or one above such a scope
 * (`customer-insights`). Anything else (a typo, a wildcard inside a scope) would be stored and
 * then grant nothing.
 */
export function isValidScope(scope: string): boolean {
  return scope === ALL_SCOPES || REQUIRED.some((r) => r === scope || r.startsWith(`${scope}:`));
}
