/**
 * The user's device, from the `user_agent` a request submitted: FriendlyScore's object (`os`,
 * `browser`, `mobile`, `screenSize`) as the lender's page claimed it, and, when the object carries
 * the raw header as `ua` (or `user_agent`), that header parsed with bowser. Where both exist, a
 * claim that the header contradicts is listed: a fraud signal (src/domain/fraud/signals.ts).
 */
import Bowser from 'bowser';

export interface Device {
  os: string | null;
  browser: string | null;
  /** bowser's platform type: `mobile`, `tablet`, `desktop`, `tv`, `bot`; null when unknown. */
  device_type: string | null;
  mobile: boolean | null;
  /** Where the answer came from: the parsed header, or only what the page claimed. */
  source: 'header' | 'claimed';
  /** Claims the header contradicts: `os`, `browser`, `mobile`. */
  contradictions: string[];
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/**
 * The family an OS or browser name belongs to, however a parser spells it (bowser's `macOS` and
 * `Microsoft Edge`, another's `Mac OS X`, `Edge`, `Mobile Safari`, `UCBrowser`); null for a name
 * none of these families has: an in-app browser (`Facebook`) or a rare one is no contradiction.
 */
type Families = readonly (readonly [RegExp, string])[];
const OS_FAMILIES: Families = [
  [/^(?:mac\s*os|os\s*x|macintosh)/, 'macos'],
  [/^(?:ios|iphone\s*os|ipados|cpu\s*os)/, 'ios'],
  [/^android/, 'android'],
  [/^windows/, 'windows'],
  [/^(?:chrome|chromium)\s*os|^cros/, 'chromeos'],
  [/^(?:linux|ubuntu|debian|fedora)/, 'linux'],
  [/^kai\s*os/, 'kaios'],
];
const BROWSER_FAMILIES: Families = [
  [/^(?:microsoft\s*)?edge?\b/, 'edge'],
  [/^(?:mobile\s*)?safari/, 'safari'],
  [/^(?:google\s*|mobile\s*)?chrome(?!\s*os)|^chromium/, 'chrome'],
  [/^(?:mozilla\s*|mobile\s*)?firefox/, 'firefox'],
  [/^opera|^opr\b/, 'opera'],
  [/^samsung/, 'samsung'],
  [/^uc\s*browser|^ucweb/, 'ucbrowser'],
  [/^(?:internet\s*explorer|msie|ie)\b/, 'ie'],
  [/^(?:miui|mi\s*browser)/, 'miui'],
  [/^yandex/, 'yandex'],
];
const family = (name: string, families: Families) =>
  families.find(([pattern]) => pattern.test(name.trim().toLowerCase()))?.[1] ?? null;

/**
 * A claim contradicts the header's reading only when both are of known families and the claim's
 * is none of the families the header may be read as.
 */
const contradicts = (claimed: string, parsed: readonly string[], families: Families) => {
  const a = family(claimed, families);
  const b = parsed.map((name) => family(name, families)).filter((f) => f !== null);
  return a !== null && b.length > 0 && !b.includes(a);
};

/** KaiOS phones (the JioPhone) write `Android` in their header too; bowser reads that, or nothing. */
const KAIOS = /\bKAIOS\/([\d.]+)/i;

export function rawUserAgent(claimed: Record<string, unknown>): string | null {
  return text(claimed.ua) ?? text(claimed.user_agent) ?? text(claimed.userAgent);
}

export function parseDevice(claimed: Record<string, unknown>): Device {
  const claimedOs = text(claimed.os);
  const claimedBrowser = text(claimed.browser);
  const claimedMobile = typeof claimed.mobile === 'boolean' ? claimed.mobile : null;
  const header = rawUserAgent(claimed);
  if (!header) {
    return {
      os: claimedOs,
      browser: claimedBrowser,
      device_type: claimedMobile === null ? null : claimedMobile ? 'mobile' : 'desktop',
      mobile: claimedMobile,
      source: 'claimed',
      contradictions: [],
    };
  }
  const p = Bowser.parse(header);
  const kaios = KAIOS.exec(header);
  const os = kaios
    ? `KaiOS ${kaios[1]}`
    : [p.os.name, p.os.versionName ?? p.os.version].filter(Boolean).join(' ') || null;
  const browser = [p.browser.name, p.browser.version].filter(Boolean).join(' ') || null;
  const type = p.platform.type ?? null;
  const mobile = type === null || type === 'bot' ? null : type === 'mobile' || type === 'tablet';
  const contradictions: string[] = [];
  // A KaiOS header may be claimed as KaiOS or as the Android it also names.
  const parsedOs = kaios ? ['KaiOS', 'Android'] : p.os.name ? [p.os.name] : [];
  if (claimedOs && contradicts(claimedOs, parsedOs, OS_FAMILIES)) contradictions.push('os');
  if (claimedBrowser && p.browser.name && contradicts(claimedBrowser, [p.browser.name], BROWSER_FAMILIES))
    contradictions.push('browser');
  // A tablet is mobile to bowser but not to Chrome's own `navigator.userAgentData.mobile`: either
  // claim is the tablet's.
  if (claimedMobile !== null && mobile !== null && type !== 'tablet' && claimedMobile !== mobile)
    contradictions.push('mobile');
  return { os, browser, device_type: type, mobile, source: 'header', contradictions };
}
