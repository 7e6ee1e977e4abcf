/**
 * The `Allow` header of a 405 (or a dialect's own "method not allowed"): the methods the target
 * resource answers to (RFC 9110 §10.2.1), each once, in one order whatever the order of the routes.
 */

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'];

const rank = (method: string) => {
  const i = ORDER.indexOf(method);
  return i === -1 ? ORDER.length : i;
};

export function allowHeader(methods: Iterable<string>): string {
  return [...new Set(methods)].sort((a, b) => rank(a) - rank(b)).join(', ');
}
