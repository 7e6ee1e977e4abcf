/**
 * Where webhooks may go. Only http(s) URLs without credentials; and, unless the operator allows
 * private destinations (CREDENCE_WEBHOOK_ALLOW_PRIVATE=true), only hosts that resolve to public
 * addresses. The check runs inside the connection's own DNS lookup, so the address checked is the
 * address connected to: a name that resolves to a public address when checked and to a private
 * one when used (DNS rebinding) cannot slip through.
 */
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from '../domain/network.js';

export class DestinationRefusedError extends Error {
  override name = 'DestinationRefusedError';
}

/** Why a webhook URL cannot be used, or undefined when it can be tried. */
export function webhookUrlProblem(text: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  if (text.length > 2000) return 'is longer than 2000 characters';
  // A fully qualified name's final dot (`localhost.`) names the same host.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (!allowPrivate) {
    if (isIP(host) !== 0 && !isPublicAddress(host))
      return 'points to a private, loopback or reserved address';
    if (host === 'localhost' || host.endsWith('.localhost')) return 'points to a loopback address';
  }
  return undefined;
}

/** A DNS lookup for http.request that refuses non-public addresses unless allowed. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = (Array.isArray(addresses) ? addresses : [addresses]) as dns.LookupAddress[];
      const usable = allowPrivate ? list : list.filter((a) => isPublicAddress(a.address));
      if (usable.length === 0) {
        return callback(
          new DestinationRefusedError(`${hostname} resolves only to private, loopback or reserved addresses`),
          '',
          0,
        );
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}
