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
  it('takes one family however a parser spells it, so no header contradicts its own reading', () => {
    const same: [string, string, string][] = [
      // [claimed os, claimed browser, header], the claims as ua-parser-js reads the same header
      [
        'iOS 17.5',
        'Mobile Safari 17.5',
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ],
      [
        'Mac OS X 10.15.7',
        'Chrome 131',
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      ],
      ['Windows 10', 'Edge 120', WINDOWS_EDGE],
      [
        'Android 10',
        'UCBrowser 13.4',
        'Mozilla/5.0 (Linux; U; Android 10; en-US; RMX1971 Build/QKQ1.190918.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36',
      ],
      [
        'Android 13',
        'Facebook 446',
        'Mozilla/5.0 (Linux; Android 13; SM-A515F Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/446.0.0.34.115;]',
      ],
      [
        'KaiOS 2.5',
        'Firefox 48',
        'Mozilla/5.0 (Mobile; LYF/F300B/LYF-F300B-001-01-15-130718-i;Android; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.5',
      ],
      [
        'Android 13',
        'Samsung Browser 23',
        'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36',
      ],
    ];
    for (const [os, browser, ua] of same)
      expect(parseDevice({ os, browser, ua }).contradictions, `${os} / ${browser}`).toEqual([]);
    // A JioPhone's page may claim the Android its header also names; the device reads as KaiOS.
    const jio =
      'Mozilla/5.0 (Mobile; LYF/F320B/LYF-F320B-001-01-15-130718-i;Android; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.5.1';
    expect(parseDevice({ os: 'Android', browser: 'Firefox 48.0', mobile: true, ua: jio })).toMatchObject({
      os: 'KaiOS 2.5.1',
      contradictions: [],
    });
    expect(parseDevice({ os: 'Windows', ua: jio }).contradictions).toEqual(['os']);
    // ua-parser-js 2 writes Mobile Chrome and Mobile Firefox.
    expect(parseDevice({ browser: 'Mobile Chrome', ua: ANDROID_CHROME }).contradictions).toEqual([]);
    expect(parseDevice({ browser: 'Mobile Firefox', ua: ANDROID_CHROME }).contradictions).toEqual([
      'browser',
    ]);
    // A tablet may be claimed mobile or not.
    const tab =
      'Mozilla/5.0 (Linux; Android 14; SM-X110) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    for (const mobile of [true, false])
      expect(parseDevice({ os: 'Android', browser: 'Chrome', mobile, ua: tab }).contradictions).toEqual([]);
    expect(parseDevice({ mobile: true, ua: WINDOWS_EDGE }).contradictions).toEqual(['mobile']);
    // Another family is still a contradiction.
    expect(parseDevice({ os: 'Mac OS X', browser: 'Firefox', ua: WINDOWS_EDGE }).contradictions).toEqual([
      'os',
      'browser',
    ]);
  });
});
