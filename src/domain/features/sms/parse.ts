/**
 * The SMS parser: each message is tried against the template tables (templates/), cheapest test
 * first (every keyword of a template must be in the message before its pattern runs). A message
 * no template reads is an OTP, a promotion, or other. Pure and allocation-light: it runs on every
 * synced message, tens of thousands per customer.
 */
import { COUNTRY_TEMPLATES } from './templates/index.js';
import type { CountryTemplates, ParsedSms, SmsTemplate, TransactionType } from './types.js';

interface CompiledTemplate extends SmsTemplate {
  country: string;
  currency: string;
  id: string;
}

export function compileTemplates(tables: readonly CountryTemplates[]): CompiledTemplate[] {
  return tables.flatMap((t) =>
    t.templates.map((tpl) => ({
      ...tpl,
      keywords: tpl.keywords.map((k) => k.toLowerCase()),
      country: t.country,
      currency: t.currency,
      id: `${t.country}.${tpl.name}`,
    })),
  );
}

const DEFAULT_TEMPLATES = compileTemplates(COUNTRY_TEMPLATES);

// An OTP names a code and tells the reader not to share it; banks send them for payments too.
// Spanish too, as Mexican and Colombian banks write it (`Tu código de verificación es 482913`).
const OTP =
  /\b(?:otp|one[ -]time password|verification code|authentication code|c[oó]digo de (?:verificaci[oó]n|seguridad|acceso)|clave din[aá]mica|clave de un solo uso)(?![\p{L}\d])/iu;
const PROMOTIONAL =
  /\b(?:offer|apply now|cashback|discount|pre-approved|upto|up to|hurry|limited period|click|download)\b/i;
// Not inside a masked name (`SAL****** RE**S`): the asterisks are letters hidden, not a boundary.
const SALARY = /(?<![\w*])sal(?:ary)?(?![\w*])/i;

export const parseAmount = (text: string): number => Number(text.replace(/,/g, ''));

export function parseSms(
  body: string,
  templates: readonly CompiledTemplate[] = DEFAULT_TEMPLATES,
): ParsedSms {
  const lower = body.toLowerCase();
  for (const t of templates) {
    if (!hasAll(lower, t.keywords)) continue;
    const m = t.pattern.exec(body);
    if (m) return fromMatch(t, m.groups ?? {}, body);
  }
  if (OTP.test(body)) return { category: 'otp' };
  if (PROMOTIONAL.test(body)) return { category: 'promotional' };
  return { category: 'other' };
}

function hasAll(lower: string, keywords: readonly string[]): boolean {
  for (const k of keywords) if (!lower.includes(k)) return false;
  return true;
}

function fromMatch(t: CompiledTemplate, g: Record<string, string | undefined>, body: string): ParsedSms {
  const out: ParsedSms = { category: t.category, country: t.country, template: t.id };
  const type: TransactionType | undefined =
    t.type ?? (g.direction ? t.direction?.[g.direction.toUpperCase()] : undefined);
  if (type) out.type = type;
  if (g.amount) {
    out.amount = parseAmount(g.amount);
    out.currency = t.currency;
  }
  if (g.balance) {
    const balance = parseAmount(g.balance);
    out.balance = (g.balance_minus || g.balance_dr) && balance !== 0 ? -balance : balance;
  }
  const channel = g.channel ?? t.channel;
  if (channel) out.channel = channel.toLowerCase();
  if (g.merchant) out.merchant = g.merchant.trim();
  if (g.reference) out.reference = g.reference;
  if (g.account) out.account = g.account;
  const accountType = (g.kind ? t.accountKind?.[g.kind.toUpperCase()] : undefined) ?? t.accountType;
  if (accountType) out.accountType = accountType;
  if (g.dpd) out.dpd = Number(g.dpd);
  if (out.category === 'transaction' && type === 'credit' && SALARY.test(body)) out.category = 'salary';
  return out;
}
