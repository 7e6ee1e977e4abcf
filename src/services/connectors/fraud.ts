/**
 * The fraud signals connector: gathers what the signals need (the IP address's intelligence, the
 * user's phones, addresses and emails from what other connectors found, the device, and how many
 * other users of the tenant share them), records this user's sightings, and stores the assessment
 * as the `fraud.ip` record that `show/min-fraud-data.json` serves.
 */
import type { Kysely } from 'kysely';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { countOtherSubjects, insertSightings } from '../../db/repositories/sighting.repository.js';
import type { Database, SightingTable } from '../../db/schema.js';
import { NETWORKS } from '../../domain/footprint/networks.js';
import { phonesAsOne } from '../../domain/footprint/phones.js';
import { cvKind, FRAUD_KIND, type Records, socialKind } from '../../domain/footprint/records.js';
import { parseDevice, rawUserAgent } from '../../domain/footprint/user-agent.js';
import { assessFraud, type FraudReason } from '../../domain/fraud/signals.js';
import { canonicalAddress } from '../../domain/network.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import type { DataRecordService } from '../data-records.js';
import { emailDomain, isDisposableDomain } from './disposable-email.js';
import type { IpInfo, IpIntelligence } from './ip-intelligence.js';

export const FRAUD_SOURCE = 'credence.fraud';
const DAY_MS = 24 * 3600_000;

export interface FraudRecordData {
  risk_score: number;
  reasons: FraudReason[];
  ip_address: IpInfo | null;
  /** The other users of the tenant sharing this user's IP, device (24 h), email or phone. */
  shared_with: { ip: number; device: number; email: number; phone: number };
  assessed_at: string;
}

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : [];

/** The user's emails, phones (E.164 where they parse) and address countries from every record. */
export function contactsOf(
  records: Records,
  /** Where the request came from (the IP's country): the last country a national form is read in. */
  requestCountry?: string | null,
): { emails: string[]; phones: string[]; countries: string[] } {
  const social = NETWORKS.map((n) => obj(records.get(socialKind(n)))).filter((s) => s.token_valid !== false);
  const emails = new Set<string>();
  const phones = new Set<string>();
  const countries = new Set<string>();
  for (const s of social) {
    for (const e of [...strings(s.emails), ...strings([s.email])]) emails.add(e.trim().toLowerCase());
    for (const p of [...strings(s.phones), ...strings([s.mobile])]) phones.add(p.trim());
    if (typeof s.country === 'string' && /^[A-Za-z]{2}$/.test(s.country))
      countries.add(s.country.toUpperCase());
  }
  for (const e of strings(records.get(cvKind('emails')))) emails.add(e.trim().toLowerCase());
  for (const p of strings(records.get(cvKind('phones')))) phones.add(p.trim());
  // National forms are read in the person's country, as the footprint reads them.
  const [read = []] = phonesAsOne([[...phones]], [...countries], requestCountry ? [requestCountry] : []);
  const e164 = read.filter((p) => p !== undefined);
  return { emails: [...emails], phones: [...new Set(e164)], countries: [...countries] };
}

function deviceKey(ua: Record<string, unknown>): string | undefined {
  const raw = rawUserAgent(ua);
  const parts = [raw ?? '', ua.os, ua.browser, ua.screenSize, ua.mobile].map((v) => String(v ?? '').trim());
  return parts.every((p) => p === '' || p === 'undefined') ? undefined : parts.join('|').toLowerCase();
}

export class FraudSignals {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: PiiCipher,
    private readonly clock: Clock,
    private readonly records: DataRecordService,
    private readonly intel: IpIntelligence,
  ) {}

  /** Assesses the user from their newest records, stores and returns the assessment. */
  async assess(tenantId: string, subjectId: string, records: Records): Promise<FraudRecordData> {
    const now = this.clock.now();
    const ipText = obj(records.get('ip_address')).ip;
    const ip = typeof ipText === 'string' ? await this.intel.lookup(ipText) : null;
    const ua = obj(records.get('user_agent'));
    const device = parseDevice(ua);
    const contacts = contactsOf(records, ip?.country_code);

    const values: Record<SightingTable['kind'], string[]> = {
      ip: ip?.valid_public_address ? [canonicalAddress(ip.ip) ?? ip.ip] : [],
      device: [deviceKey(ua)].filter((v): v is string => v !== undefined),
      email: contacts.emails,
      phone: contacts.phones,
    };
    const since = new Date(now.getTime() - DAY_MS).toISOString();
    const at = now.toISOString();
    // This user's sightings first, then the others': of two users assessed at the same moment,
    // at least one counts the other (counting first, both could miss each other).
    await insertSightings(
      this.db,
      (Object.keys(values) as SightingTable['kind'][]).flatMap((kind) =>
        values[kind].map((v) => ({
          id: newId('sig'),
          tenant_id: tenantId,
          subject_id: subjectId,
          kind,
          value_hash: this.cipher.blindIndex(`sighting.${kind}`, v),
          seen_at: at,
        })),
      ),
    );
    const count = (kind: SightingTable['kind'], windowed: boolean) =>
      countOtherSubjects(
        this.db,
        tenantId,
        kind,
        values[kind].flatMap((v) => this.cipher.blindIndexes(`sighting.${kind}`, v)),
        subjectId,
        windowed ? since : undefined,
      );
    const shared = {
      ip: await count('ip', true),
      device: await count('device', true),
      email: await count('email', false),
      phone: await count('phone', false),
    };
    const phoneCountries = contacts.phones
      .map((p) => parsePhoneNumberFromString(p)?.country)
      .filter((c): c is NonNullable<typeof c> => c !== undefined);
    const assessment = assessFraud({
      ip: ip ?? undefined,
      phoneCountries,
      addressCountries: contacts.countries,
      disposableDomains: [...new Set(contacts.emails.map(emailDomain))].filter(isDisposableDomain),
      deviceContradictions: device.contradictions,
      otherUsers: shared,
    });
    const data: FraudRecordData = { ...assessment, ip_address: ip, shared_with: shared, assessed_at: at };
    await this.records.add(tenantId, subjectId, [{ kind: FRAUD_KIND, source: FRAUD_SOURCE, data }]);
    return data;
  }
}
