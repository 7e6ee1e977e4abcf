import type { IncomingMessage } from 'node:http';
import { newId } from '../lib/ids.js';
import { redactText } from './log-redaction.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's X-Request-Id when it is safe to log and echo; otherwise makes one. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : newId('req');
}

/**
 * A URL for the logs: the path, decoded so that an encoded phone number or email (`%2B254...`) is
 * seen and masked like a plain one, and the query keys, with every query value masked.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = redactText(readable(q < 0 ? url : url.slice(0, q)));
  if (q < 0) return path;
  const params = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((p) => `${p.split('=')[0]}=***`);
  return `${path}?${params.join('&')}`;
}

function readable(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    // Undecodable as a whole: decode what can be, escape by escape.
    return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}
