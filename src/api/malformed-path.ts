/**
 * A path whose percent-encoding cannot be decoded (`/finbox/v2/risk/predictors%`, `%C3%28`) is
 * read with its `%` signs as themselves, so it is a path no route serves and the dialect that owns
 * its prefix answers it as such, in its own words, instead of the router's own 400. Used as
 * Fastify's `rewriteUrl`; a path without `%`, or one that decodes, is left as it is.
 */
export function readablePath(url: string): string {
  // Every request passes here: most URLs hold no `%` at all.
  if (!url.includes('%')) return url;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.includes('%')) return url;
  try {
    decodeURIComponent(path);
    return url;
  } catch {
    return path.replaceAll('%', '%25') + (q === -1 ? '' : url.slice(q));
  }
}

/**
 * The path as the client sent it, before `readablePath` rewrote it: what an answer quotes back
 * (`%E9`, not `%25E9`).
 */
export const sentPath = (req: { originalUrl: string }): string => req.originalUrl.split('?')[0]!;
