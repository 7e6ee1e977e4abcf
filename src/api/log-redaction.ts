/**
 * Logs never carry personal data or credentials. Values under names that hold them (phones,
 * identity numbers, emails, IPs, tokens, secrets, keys) are masked wherever they sit in a logged
 * object, and phone numbers, national-id-like digit runs, emails, JWTs and Credence keys are masked
 * inside any logged string, error messages and request paths included.
 */
const SENSITIVE_KEY =
  /(phone|msisdn|mobile|national|id_?number|id_?document|document_?number|passport|email|^ip$|user_?ip|ip_?address|token|secret|password|passwd|api_?key|partner_?key|^key$|authorization|cookie|salt)/i;

const SENSITIVE_TEXT: RegExp[] = [
  // JWTs (bearer tokens, id tokens).
  /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g,
  // Credence API keys and secrets (`crd_sk_...`, `crd_...`), generic sk_/pk_ keys, and webhook
  // secrets (`whsec_` and base64, whose `+`, `/` and `=` are part of the secret), in one pass.
  /\b(?:(?:crd|sk|pk)_[A-Za-z0-9_]{8,}|whsec_[A-Za-z0-9+/=_-]{8,})/g,
  // Email addresses.
  /[\w.%+-]+@[\w-]+(?:\.[\w-]+)+/g,
];

export const MASK = '***';

/**
 * Phone numbers as people write them (`+254 (711) 223-342`, `0711 223 344`, `+254.711.223.342`,
 * all of which a phone parser takes), identity numbers and IP addresses: digits, maybe behind a
 * `+` or `(`, joined by spaces, dots, dashes, slashes or brackets, not inside a word (so ids such as
 * `sub_01J9...` stay). Seven or more digits in all are masked; fewer, and a date (with the hour of a time after it), stay.
 */
const NUMBER_LIKE = /(?<![\w+])\+?\(?\d(?:[ ()./-]*\d)+\)?(?!\w)/g;
const DATE = /^\d{4}-\d{2}-\d{2}(?: \d{1,2})?$/;

function maskNumber(run: string): string {
  let digits = 0;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits >= 7 && !DATE.test(run) ? MASK : run;
}

export function redactText(text: string): string {
  let out = text;
  for (const re of SENSITIVE_TEXT) out = out.replace(re, MASK);
  return out.replace(NUMBER_LIKE, maskNumber);
}

/** A copy of `value` with sensitive fields and substrings masked (depth-limited, cycle-safe). */
export function redactPii(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactPii(v, depth + 1, seen));
  if (value instanceof Error) {
    return {
      type: value.name,
      message: redactText(value.message),
      ...('code' in value ? { code: (value as { code: unknown }).code } : {}),
      stack: value.stack ? redactText(value.stack) : undefined,
      // What went wrong underneath (a refused connection, a database error), redacted the same way.
      ...(value.cause !== undefined ? { cause: redactPii(value.cause, depth + 1, seen) } : {}),
    };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SENSITIVE_KEY.test(k) && v !== null && v !== undefined ? MASK : redactPii(v, depth + 1, seen);
  }
  return out;
}

/**
 * pino's `formatters.log`: everything but `req` and `res`, which the logger's own serializers
 * reduce to method, masked URL and id (and status) before they are written.
 */
export function redactLogObject(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'req' || k === 'res') out[k] = v;
    else out[k] = SENSITIVE_KEY.test(k) && v !== null && v !== undefined ? MASK : redactPii(v, 1);
  }
  return out;
}
