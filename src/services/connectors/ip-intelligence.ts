/**
 * IP intelligence: where an address is (country, region, city) and who announces it (ASN and
 * organisation), from MaxMind-format databases read with the `maxmind` package. Shipped defaults:
 * `@ip-location-db/geo-whois-asn-country-mmdb` (CC0, country only) and the `@ip-location-db/asn`
 * table (CC BY 4.0). `CREDENCE_GEOIP_DB` names a GeoIP2/GeoLite2 City or Country database (or
 * DB-IP's city mmdb) for region and city; `CREDENCE_GEOIP_ASN_DB` a GeoLite2-ASN or GeoIP2-ISP one.
 * Reserved, private, loopback, documentation and bogon addresses are classified, never looked up.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import maxmind, { type Reader, type Response } from 'maxmind';
import { ConfigError } from '../../config.js';
import { isHostingOrganisation } from '../../domain/fraud/hosting.js';
import { canonicalAddress, classifyAddress } from '../../domain/network.js';
import { AsnTable } from './asn-table.js';

export interface IpInfo {
  ip: string;
  version: 4 | 6 | null;
  /** `unicast` for a public address, else its special range; `invalid` when it is no address. */
  range: string;
  valid_public_address: boolean;
  country_code: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  asn: number | null;
  organisation: string | null;
  /** The organisation is a hosting or data-centre provider (docs/connectors.md#hosting). */
  hosting: boolean;
}

type Names = { names?: Record<string, string> };
/** The fields read from the record shapes of GeoIP2, GeoLite2, DB-IP and ip-location-db. */
interface GeoRecord {
  country?: Names & { iso_code?: string };
  subdivisions?: (Names & { iso_code?: string })[];
  city?: Names | string;
  country_code?: string;
  state1?: string;
  autonomous_system_number?: number;
  autonomous_system_organization?: string;
  organization?: string;
}

const english = (n: Names | undefined) => n?.names?.en ?? null;

const packageFile = (pkg: string, file: string) =>
  path.join(path.dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), file);

export const DEFAULT_GEO_DB = () =>
  packageFile('@ip-location-db/geo-whois-asn-country-mmdb', 'geo-whois-asn-country.mmdb');

export interface IpIntelligenceOptions {
  geoipDb?: string | undefined;
  geoipAsnDb?: string | undefined;
}

/** Well-known public resolvers, which every worldwide database covers. */
const PROBES = ['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888'];

/**
 * Whether a database is of another kind than wanted: it holds records for the probe addresses and
 * none has what is wanted. A database holding none of them (one country's ranges) is not judged.
 */
function wrongKind(reader: Reader<Response>, wanted: (r: GeoRecord) => boolean): boolean {
  const found = PROBES.map((ip) => reader.get(ip) as GeoRecord | null).filter((r) => r !== null);
  return found.length > 0 && !found.some(wanted);
}

const countryOf = (r: GeoRecord): string | undefined => r.country?.iso_code ?? r.country_code;

export class IpIntelligence {
  private geo?: Promise<Reader<Response>>;
  private asn?: Promise<Reader<Response>> | AsnTable;
  private readonly countryNames = new Intl.DisplayNames(['en'], { type: 'region' });

  constructor(private readonly options: IpIntelligenceOptions = {}) {}

  /** Opens the databases now rather than on the first lookup (a bad path fails at start). */
  async open(): Promise<void> {
    // A file the operator named is a setting (exit 2 at start); the bundled one failing is not.
    const named = (variable: string, file: string | undefined) => (err: Error) => {
      throw file
        ? new ConfigError([`${variable} (${file}) cannot be read as a MaxMind database: ${err.message}`])
        : new Error(`the bundled IP database cannot be read: ${err.message}`);
    };
    const [geo, asn] = await Promise.all([
      this.geoReader().catch(named('CREDENCE_GEOIP_DB', this.options.geoipDb)),
      Promise.resolve(this.asnReader()).catch(named('CREDENCE_GEOIP_ASN_DB', this.options.geoipAsnDb)),
    ]);
    // A database of the other kind opens as well, and would leave every lookup without its data.
    const problems: string[] = [];
    if (this.options.geoipDb && wrongKind(geo, (r) => countryOf(r) !== undefined))
      problems.push(
        `CREDENCE_GEOIP_DB (${this.options.geoipDb}) holds no countries: it should be a MaxMind-format country or city database`,
      );
    if (
      this.options.geoipAsnDb &&
      !(asn instanceof AsnTable) &&
      wrongKind(asn, (r) => r.autonomous_system_number !== undefined)
    )
      problems.push(
        `CREDENCE_GEOIP_ASN_DB (${this.options.geoipAsnDb}) holds no autonomous system numbers: it should be a MaxMind-format ASN or ISP database (GeoLite2-ASN, GeoIP2-ISP)`,
      );
    if (problems.length > 0) throw new ConfigError(problems);
  }

  private geoReader(): Promise<Reader<Response>> {
    this.geo ??= maxmind.open<Response>(this.options.geoipDb ?? DEFAULT_GEO_DB());
    return this.geo;
  }

  private asnReader(): Promise<Reader<Response>> | AsnTable {
    this.asn ??= this.options.geoipAsnDb ? maxmind.open<Response>(this.options.geoipAsnDb) : new AsnTable();
    return this.asn;
  }

  async lookup(ip: string): Promise<IpInfo> {
    const cls = classifyAddress(ip);
    const info: IpInfo = {
      ip,
      version: cls?.version ?? null,
      range: cls?.range ?? 'invalid',
      valid_public_address: cls?.public ?? false,
      country_code: null,
      country: null,
      region: null,
      city: null,
      asn: null,
      organisation: null,
      hosting: false,
    };
    if (!cls?.public) return info;
    // Looked up in one spelling: an IPv4-mapped IPv6 address is where its IPv4 address is.
    const at = canonicalAddress(ip) ?? ip;
    const [geoDb, asnDb] = await Promise.all([this.geoReader(), this.asnReader()]);
    const geo = geoDb.get(at) as GeoRecord | null;
    if (geo) {
      info.country_code = countryOf(geo) ?? null;
      info.country = english(geo.country) ?? this.countryName(info.country_code);
      info.region = english(geo.subdivisions?.[0]) ?? geo.state1 ?? null;
      info.city = typeof geo.city === 'string' ? geo.city : english(geo.city);
    }
    if (asnDb instanceof AsnTable) {
      const a = await asnDb.get(at);
      if (a) {
        info.asn = a.asn;
        info.organisation = a.organisation;
      }
    } else {
      const a = asnDb.get(at) as GeoRecord | null;
      info.asn = a?.autonomous_system_number ?? null;
      info.organisation = a?.autonomous_system_organization ?? a?.organization ?? null;
    }
    info.hosting = isHostingOrganisation(info.asn, info.organisation);
    return info;
  }

  private countryName(code: string | null): string | null {
    if (!code) return null;
    try {
      return this.countryNames.of(code) ?? null;
    } catch {
      return null;
    }
  }
}
