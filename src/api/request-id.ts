import type { IncomingMessage } from 'node:http';
import { newId } from '../lib/ids.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's X-Request-Id when it is safe to log and echo; otherwise makes one. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : newId('req');
}

/** A URL for the logs: the path and the query keys, with every query value masked. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((p) => `${p.split('=')[0]}=***`);
  return `${url.slice(0, q)}?${params.join('&')}`;
}
