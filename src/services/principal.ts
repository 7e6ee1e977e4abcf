import type { BlockList } from 'node:net';

/** Who is calling: resolved from a credential by the auth layer, passed to every service call. */
export interface Principal {
  tenantId: string;
  clientId: string;
  credentialId: string;
  credentialType: string;
  scopes: readonly string[];
  /** Addresses the credential may call from; absent or null for every address. */
  ipAllow?: BlockList | null;
  /** Requests per second the credential may make; absent or null for the dialect's default. */
  rateLimit?: number | null;
}

/** A partner account of the credit-indicator API, calling on behalf of its tenant's client. */
export interface PartnerPrincipal extends Principal {
  partnerId: string;
  partnerCode: string;
  /** ISO 3166 countries the partner is served in. */
  countries: readonly string[];
}
