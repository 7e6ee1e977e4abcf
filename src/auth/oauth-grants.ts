/**
 * The OAuth 2.0 grant types a client may be given. A client can use only the grants it holds;
 * `client_credentials` (RFC 6749 §4.4) is the one FriendlyScore uses; the CIBA grant (OpenID
 * Client-Initiated Backchannel Authentication Core 1.0 §10.1) gives 3-legged tokens for a
 * telecom subscriber. Add a grant here when a token endpoint starts to serve it.
 */
export const CIBA_GRANT = 'urn:openid:params:grant-type:ciba';
export const GRANT_TYPES = ['client_credentials', CIBA_GRANT] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export function isGrantType(value: string): value is GrantType {
  return (GRANT_TYPES as readonly string[]).includes(value);
}
