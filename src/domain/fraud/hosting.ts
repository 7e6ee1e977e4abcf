/**
 * Hosting and data-centre networks: a person applying for a loan does not browse from a server, so
 * an address announced by one suggests a proxy, a VPN exit or automation. Two tests, either is
 * enough: the ASN is one of the large clouds and hosts below, or the organisation's name carries a
 * word that hosting companies use. The lists are in docs/connectors.md#hosting.
 */
export const HOSTING_ASNS: ReadonlySet<number> = new Set([
  16509,
  14618,
  8987, // Amazon
  15169,
  396982,
  19527, // Google (cloud and services)
  8075,
  8068, // Microsoft
  14061, // DigitalOcean
  16276, // OVH
  24940,
  213230, // Hetzner
  63949, // Linode / Akamai cloud
  20473, // Vultr (Choopa)
  60781,
  28753, // Leaseweb
  51167, // Contabo
  45102,
  37963, // Alibaba
  132203,
  45090, // Tencent
  31898, // Oracle
  36351, // SoftLayer / IBM
  9009, // M247
  212238, // Datacamp (CDN77)
  13335, // Cloudflare (WARP and workers)
  62567, // DigitalOcean (NYC)
  40021, // Contabo US
  46606, // Unified Layer
  26496, // GoDaddy
  53667, // FranTech
]);

/** Words found anywhere in the name, inside a longer word too (`webhosting`, `servers.com`). */
export const HOSTING_WORDS = [
  'hosting',
  'datacenter',
  'data center',
  'data centre',
  'colocation',
  'server',
  'cloud',
  'vps',
  'dedicated',
  'amazon',
  'digitalocean',
  'ovh',
  'hetzner',
  'linode',
  'vultr',
  'choopa',
  'leaseweb',
  'contabo',
  'alibaba',
  'tencent',
  'oracle',
  'm247',
] as const;

/**
 * `host` only where a word starts (`Host Europe`, `Hostinger`, `HostGator`): inside a word it is
 * as often a consumer ISP's name (`Afrihost`, one of South Africa's largest).
 */
const HOST_WORD = /(?:^|[^a-z0-9])host/;

/**
 * Words of a consumer access network (`VPS Broadband And Telecommunications`, `Cloudlasers
 * Broadband`, `Amazonia Telecom`): such a name is an ISP's, whatever hosting word it also holds.
 * The large clouds are known by their ASNs, which no name overrides.
 */
const ACCESS_WORDS = /broadband|internet service|telecom|fib(?:re|er)|cable|wireless|mobile/;

export function isHostingOrganisation(asn: number | null, organisation: string | null): boolean {
  if (asn !== null && HOSTING_ASNS.has(asn)) return true;
  const name = (organisation ?? '').toLowerCase();
  if (ACCESS_WORDS.test(name)) return false;
  return HOST_WORD.test(name) || HOSTING_WORDS.some((w) => name.includes(w));
}
