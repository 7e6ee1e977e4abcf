/** Email addresses in text: the usual local@domain.tld form, lower-cased, first seen first. */
const EMAIL =
  /(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g;

export function findEmails(text: string): string[] {
  return [...new Set([...text.matchAll(EMAIL)].map((m) => m[0].toLowerCase()))];
}
