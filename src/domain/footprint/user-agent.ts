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

const family = (s: string) =>
  s
    .toLowerCase()
    .replace(/\bos x\b|\bmacos\b/, 'macos')
    .replace(/\bios\b|\biphone os\b/, 'ios')
    .split(/[\s/]+/)[0] ?? '';

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
  const os = [p.os.name, p.os.versionName ?? p.os.version].filter(Boolean).join(' ') || null;
  const browser = [p.browser.name, p.browser.version].filter(Boolean).join(' ') || null;
  const type = p.platform.type ?? null;
  const mobile = type === null || type === 'bot' ? null : type === 'mobile' || type === 'tablet';
  const contradictions: string[] = [];
  if (claimedOs && p.os.name && family(claimedOs) !== family(p.os.name)) contradictions.push('os');
  if (claimedBrowser && p.browser.name && family(claimedBrowser) !== family(p.browser.name))
    contradictions.push('browser');
  if (claimedMobile !== null && mobile !== null && claimedMobile !== mobile) contradictions.push('mobile');
  return { os, browser, device_type: type, mobile, source: 'header', contradictions };
}
