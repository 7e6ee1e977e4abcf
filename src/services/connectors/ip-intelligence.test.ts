import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config.js';
import { DEFAULT_GEO_DB, IpIntelligence } from './ip-intelligence.js';

describe('IP intelligence', () => {
  const intel = new IpIntelligence();

  it('finds the country, ASN and organisation of a public address, IPv4 and IPv6', async () => {
    expect(await intel.lookup('41.90.64.10')).toMatchObject({
      version: 4,
      range: 'unicast',
      valid_public_address: true,
      country_code: 'KE',
      country: 'Kenya',
      asn: 33771,
      organisation: 'Safaricom Limited',
      hosting: false,
    });
    expect(await intel.lookup('2a00:1450:4009:81d::200e')).toMatchObject({
      version: 6,
      country_code: 'IE',
      asn: 15169,
      hosting: true,
    });
  });

  it('marks data-centre networks as hosting', async () => {
    expect(await intel.lookup('139.59.1.1')).toMatchObject({
      organisation: 'DigitalOcean, LLC',
      hosting: true,
    });
  });

  it('looks an IPv4-mapped IPv6 address up as its IPv4 address', async () => {
    for (const ip of ['::ffff:139.59.1.1', '::ffff:8b3b:101', '::FFFF:139.59.1.1'])
      expect(await intel.lookup(ip), ip).toMatchObject({
        ip,
        version: 6,
        valid_public_address: true,
        organisation: 'DigitalOcean, LLC',
        hosting: true,
      });
  });

  it('classifies reserved, private, loopback, documentation and bogon addresses without looking them up', async () => {
    for (const [ip, range] of [
      ['10.1.2.3', 'private'],
      ['127.0.0.1', 'loopback'],
      ['192.0.2.44', 'reserved'],
      ['198.51.100.7', 'reserved'],
      ['2001:db8::7', 'reserved'],
      ['fd12::1', 'uniqueLocal'],
      ['4000::1', 'bogon'],
      ['999.1.1.1', 'invalid'],
    ] as const) {
      const info = await intel.lookup(ip);
      expect(info, ip).toMatchObject({ range, valid_public_address: false, country_code: null, asn: null });
    }
  });

  it('reads another MaxMind-format database when one is configured, and fails on a missing one', async () => {
    const other = new IpIntelligence({ geoipDb: DEFAULT_GEO_DB() });
    expect((await other.lookup('8.8.8.8')).country_code).toBe('US');
    await expect(new IpIntelligence({ geoipDb: '/nonexistent/City.mmdb' }).open()).rejects.toThrow(/ENOENT/);
    // A file that is no MaxMind database is a setting to correct: it names it (and stops a start).
    const refused = await new IpIntelligence({ geoipAsnDb: '/etc/hostname' })
      .open()
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).problems).toEqual([
      expect.stringMatching(
        /^CREDENCE_GEOIP_ASN_DB \(\/etc\/hostname\) cannot be read as a MaxMind database: /,
      ),
    ]);
  });

  it('refuses a database of the wrong kind, which opens but holds none of the data asked of it', async () => {
    await expect(new IpIntelligence({ geoipDb: DEFAULT_GEO_DB() }).open()).resolves.toBeUndefined();
    const refused = await new IpIntelligence({ geoipAsnDb: DEFAULT_GEO_DB() })
      .open()
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).problems).toEqual([
      `CREDENCE_GEOIP_ASN_DB (${DEFAULT_GEO_DB()}) holds no autonomous system numbers: it should be a MaxMind-format ASN or ISP database (GeoLite2-ASN, GeoIP2-ISP)`,
    ]);
  });
});
