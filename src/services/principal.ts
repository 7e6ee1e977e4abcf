/** Who is calling: resolved from a credential by the auth layer, passed to every service call. */
export interface Principal {
  tenantId: string;
  clientId: string;
  credentialId: string;
  credentialType: string;
  scopes: readonly string[];
}
