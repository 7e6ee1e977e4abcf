/**
 * IP addresses: which are public. Used to refuse webhook destinations inside the operator's
 * network (SSRF), to judge the IP address a FriendlyScore request reports for its user, and by the
 * IP intelligence connector. The special-purpose ranges are ipaddr.js's (the IANA IPv4 and IPv6
 * Special-Purpose Address Registries); on top of them, every IPv6 address outside 2000::/3, the
 * only block IANA allocates for global unicast, is a bogon.
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** `unicast` for a public address, else the range it falls in (`private`, `loopback`, `bogon`, ...). */
export type AddressRange = string;

export interface AddressClass {
  version: 4 | 6;
  range: AddressRange;
  public: boolean;
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * The class of an address, or undefined when it is not a valid address. Only the usual text forms
 * count (`node:net` isIP): "127.1" or "0x7f.0.0.1", which some parsers take, are not addresses here.
 */
export function classifyAddress(ip: string): AddressClass | undefined {
  const version = isIP(ip);
  if (version === 0) return undefined;
  const parsed = ipaddr.parse(ip);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    const mapped = v6.isIPv4MappedAddress();
    // IPv4-compatible (::a.b.c.d, deprecated) and IPv4-mapped addresses are judged by their IPv4 part.
    if (mapped || /^::\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
      const inner = classifyAddress(v6.toIPv4Address().toString());
      return inner ? { ...inner, version: 6 } : undefined;
    }
    let range: string = v6.range();
    if (range === 'unicast' && !v6.match(GLOBAL_UNICAST_V6)) range = 'bogon';
    return { version: 6, range, public: range === 'unicast' };
  }
  const range = (parsed as ipaddr.IPv4).range();
  return { version: 4, range, public: range === 'unicast' };
}

/** True for a syntactically valid address on the public internet. */
export function isPublicAddress(ip: string): boolean {
  return classifyAddress(ip)?.public ?? false;
}

/**
 * One spelling of an address, so that the same address counts as one however it was written:
 * an IPv4-mapped or IPv4-compatible IPv6 address is its IPv4 address, and an IPv6 address is in
 * its RFC 5952 form (lower case, zeros compressed). Undefined when it is not an address.
 */
export function canonicalAddress(ip: string): string | undefined {
  if (isIP(ip) === 0) return undefined;
  const parsed = ipaddr.parse(ip);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress() || /^::\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return v6.toIPv4Address().toString();
  return v6.toRFC5952String();
}

export function ipVersion(ip: string): 4 | 6 | null {
  const v = isIP(ip);
  return v === 4 ? 4 : v === 6 ? 6 : null;
}
