/**
 * IP allowlists: CIDR blocks a credential may call from (DeviceConnect server keys, and any API
 * key an operator restricts). None means every address.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { invalidInput } from '../domain/errors.js';

/** Parses `10.0.0.0/8`, `203.0.113.7` or `2001:db8::/32` into a block list entry. */
export function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address = '', bits] = text.trim().split('/');
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (!family) throw invalidInput('ip_allow', `"${text}" is not an IP address or CIDR block`);
  const max = family === 'ipv4' ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!/^\d+$/.test(bits ?? String(max)) || prefix > max)
    throw invalidInput('ip_allow', `"${text}" has a prefix length outside 0-${max}`);
  return { address, prefix, family };
}

export function blockListOf(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const c of cidrs) {
    const { address, prefix, family } = parseCidr(c);
    list.addSubnet(address, prefix, family);
  }
  return list;
}

/** Whether a caller's address is allowed; IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is read as IPv4. */
export function ipAllowed(allow: BlockList | null, ip: string): boolean {
  if (!allow) return true;
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(v4)) return allow.check(v4, 'ipv4');
  return isIPv6(v4) && allow.check(v4, 'ipv6');
}
