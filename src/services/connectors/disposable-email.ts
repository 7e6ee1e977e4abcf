/**
 * Disposable email domains: the `disposable-email-domains` list (MIT, about 120,000 domains),
 * read on first use. A subdomain of a listed domain counts too.
 */
import { createRequire } from 'node:module';

let domains: ReadonlySet<string> | undefined;

function list(): ReadonlySet<string> {
  domains ??= new Set(createRequire(import.meta.url)('disposable-email-domains') as string[]);
  return domains;
}

export function isDisposableDomain(domain: string): boolean {
  const parts = domain.toLowerCase().replace(/\.$/, '').split('.');
  for (let i = 0; i < parts.length - 1; i++) if (list().has(parts.slice(i).join('.'))) return true;
  return false;
}

export const emailDomain = (email: string) =>
  email
    .slice(email.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
