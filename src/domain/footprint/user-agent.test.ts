import { describe, expect, it } from 'vitest';
import { parseDevice } from './user-agent.js';

const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 13; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';
const WINDOWS_EDGE =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91';

describe('the device', () => {
  it('parses the raw header into os, browser, device type and mobile', () => {
    const d = parseDevice({ os: 'Android 13', browser: 'Chrome 120', mobile: true, ua: ANDROID_CHROME });
    expect(d).toMatchObject({
      os: 'Android 13',
      browser: 'Chrome 120.0.6099.144',
      device_type: 'mobile',
      mobile: true,
    });
    expect(d.contradictions).toEqual([]);
  });
  it('lists the claims the header contradicts', () => {
    const d = parseDevice({ os: 'iOS 17', browser: 'Safari', mobile: true, ua: WINDOWS_EDGE });
    expect(d.device_type).toBe('desktop');
    expect(d.contradictions).toEqual(['os', 'browser', 'mobile']);
  });
  it('falls back to the claims without a header', () => {
    expect(parseDevice({ os: 'Android 13', mobile: false })).toMatchObject({
      os: 'Android 13',
      browser: null,
      device_type: 'desktop',
      source: 'claimed',
    });
  });
});
