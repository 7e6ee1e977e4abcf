/**
 * A social network connector: reads the user's profile from the network's public HTTP API with
 * the access token the request submitted, and reduces it to a `social.<network>` record
 * (src/domain/footprint/records.ts). The shapes each network answers in are in its file.
 */
import type { Network } from '../../../domain/footprint/networks.js';
import type { SocialRecord } from '../../../domain/footprint/records.js';
import type { ConnectorHttp, HttpAnswer } from '../http-client.js';

export interface SocialConnector {
  network: Network;
  /** The token the connector uses, from `access_tokens`; undefined when there is none it can use. */
  token(tokens: Readonly<Record<string, unknown>>): string | undefined;
  fetch(http: ConnectorHttp, baseUrl: string, token: string): Promise<SocialRecord>;
}

export const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

export const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;

export const tokenOf = (key: string) => (tokens: Readonly<Record<string, unknown>>) => str(tokens[key]);

export const bearer = (token: string): RequestInit => ({
  headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
});

/** 401 and 403 mean the token is no good, for every network. */
export function unauthorised(a: HttpAnswer): string | undefined {
  if (a.status !== 401 && a.status !== 403) return undefined;
  const b = obj(a.body);
  const e = obj(b.error);
  return (
    str(e.message) ??
    str(b.error_description) ??
    str(b.message) ??
    str(b.detail) ??
    str(b.error) ??
    `HTTP ${a.status}`
  );
}

/** Facebook's and Instagram's Graph API: an OAuthException with code 190 (or 102) is a bad token. */
export function graphRefusal(a: HttpAnswer): string | undefined {
  const e = obj(obj(a.body).error);
  if (a.status >= 400 && (e.code === 190 || e.code === 102))
    return str(e.message) ?? 'the access token is invalid';
  return a.status === 429 || a.status >= 500 ? undefined : unauthorised(a);
}

/** Drops the fields nothing was found for. */
export function compact(r: SocialRecord): SocialRecord {
  return Object.fromEntries(
    Object.entries(r).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as SocialRecord;
}
