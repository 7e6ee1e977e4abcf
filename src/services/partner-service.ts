/**
 * Partner accounts of the credit-indicator API: created for a tenant (the key shown once), the
 * packages they buy, their prepaid balance and its ledger, and the record of their calls.
 * Operators manage them from the CLI (`credence partner ...`).
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  generatePartnerCode,
  generatePartnerKey,
  PARTNER_CODE,
  partnerKeyStart,
} from '../auth/partner-credentials.js';
import {
  creditPartner,
  findPackage,
  findPartnerByCode,
  insertLedgerEntry,
  insertPartner,
  listLedger,
  listPackages,
  listPartners,
  type PartnerWithTenant,
  setPackageStatus,
  updatePartner,
  upsertPackage,
} from '../db/repositories/partner.repository.js';
import { countCalls, listCalls } from '../db/repositories/partner-call.repository.js';
import type { Database, PartnerPackageRow, PartnerRow } from '../db/schema.js';
import { CredenceError, invalidInput, notFound } from '../domain/errors.js';
import {
  INDICATOR_COUNTRIES,
  isIndicatorCountry,
  isPackageName,
  PACKAGES,
  PACKAGES_BY_COUNTRY,
} from '../domain/indicators/packages.js';
import { parseIsoDate } from '../domain/iso-date.js';
import { MAX_AMOUNT, parseAmount, toDecimal } from '../domain/money.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { audit } from './audit.js';
import { DEFAULT_CLIENT, type TenantService } from './tenant-service.js';

export interface PartnerInfo {
  id: string;
  code: string;
  tenantId: string;
  clientId: string;
  keyStart: string;
  countries: string[];
  balance: number;
  createdAt: string;
  keyCreatedAt: string;
  disabled: boolean;
}

export interface PackageInfo {
  package: string;
  price: number;
  status: string;
  startsAt: string | null;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const toPartner = (r: PartnerRow): PartnerInfo => ({
  id: r.id,
  code: r.code,
  tenantId: r.tenant_id,
  clientId: r.client_id,
  keyStart: r.key_start,
  countries: JSON.parse(r.countries) as string[],
  balance: toDecimal(Number(r.balance)),
  createdAt: r.created_at,
  keyCreatedAt: r.key_created_at,
  disabled: r.disabled_at !== null,
});

const toPackage = (r: PartnerPackageRow): PackageInfo => ({
  package: r.package,
  price: toDecimal(r.price),
  status: r.status,
  startsAt: r.starts_at,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * A date or date-time as an ISO timestamp. A bare date starts at 00:00 UTC; as an expiry it is
 * the last day the package works, so it ends at the following midnight.
 */
export function packageTime(text: string, field: string, end: boolean): string {
  const t = text.trim();
  const ms = parseIsoDate(t, field);
  return new Date(end && DATE_ONLY.test(t) ? ms + DAY_MS : ms).toISOString();
}

/** A package time, or null for `none`: the way to take a start date or an expiry off a package. */
function packageTimeOrNone(text: string, field: string, end: boolean): string | null {
  return text.trim().toLowerCase() === 'none' ? null : packageTime(text, field, end);
}

/** The countries given, or all of them when none are given; an empty list is a mistake, not "all". */
export function parseCountries(list: readonly string[] | undefined): string[] {
  if (!list) return [...INDICATOR_COUNTRIES];
  if (list.length === 0) {
    throw invalidInput('countries', `name at least one country (${INDICATOR_COUNTRIES.join(', ')})`);
  }
  const out: string[] = [];
  for (const raw of list) {
    const c = raw.trim().toUpperCase();
    if (!isIndicatorCountry(c)) {
      throw invalidInput(
        'countries',
        `"${raw}" is not a supported country (${INDICATOR_COUNTRIES.join(', ')})`,
      );
    }
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

export class PartnerService {
  /** Called with a partner's id when its key changes or it is disabled, so caches forget it. */
  onChange: ((partnerId: string) => void) | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly tenants: TenantService,
  ) {}

  async create(o: {
    tenant: string;
    countries?: readonly string[] | undefined;
    code?: string | undefined;
    client?: string | undefined;
    actor?: string;
  }): Promise<PartnerInfo & { key: string }> {
    const tenant = await this.tenants.get(o.tenant);
    const countries = parseCountries(o.countries);
    const code = o.code ?? generatePartnerCode(tenant.name);
    if (!PARTNER_CODE.test(code)) {
      throw invalidInput(
        'code',
        `a partner code is 3-64 letters, digits, "-", ".", "_" or "~", not ${JSON.stringify(code)}`,
      );
    }
    if (await findPartnerByCode(this.db, code)) {
      throw new CredenceError('CREDENCE_CONFLICT', `partner code "${code}" is taken`);
    }
    const client = await this.tenants.client(tenant.id, o.client ?? DEFAULT_CLIENT);
    const key = generatePartnerKey();
    const now = this.clock.now().toISOString();
    const row: PartnerRow = {
      id: newId('ptn'),
      tenant_id: tenant.id,
      client_id: client.id,
      code,
      key_hash: hashKey(key),
      key_start: partnerKeyStart(key),
      countries: JSON.stringify(countries),
      balance: 0,
      created_at: now,
      key_created_at: now,
      disabled_at: null,
    };
    await insertPartner(this.db, row);
    await this.audit(row, o.actor, 'partner.create', { countries });
    return { ...toPartner(row), key };
  }

  async get(code: string): Promise<PartnerInfo> {
    return toPartner(await this.row(code));
  }

  async list(tenantRef: string): Promise<PartnerInfo[]> {
    const tenant = await this.tenants.get(tenantRef);
    return (await listPartners(this.db, tenant.id)).map(toPartner);
  }

  /** Issues a new key; the old one stops working at once here and within a second elsewhere. */
  async rotateKey(code: string, actor = 'cli'): Promise<PartnerInfo & { key: string }> {
    const row = await this.row(code);
    const key = generatePartnerKey();
    const now = this.clock.now().toISOString();
    await updatePartner(this.db, row.id, {
      key_hash: hashKey(key),
      key_start: partnerKeyStart(key),
      key_created_at: now,
    });
    await this.audit(row, actor, 'partner.rotate_key');
    this.onChange?.(row.id);
    return { ...(await this.get(code)), key };
  }

  async setDisabled(code: string, disabled: boolean, actor = 'cli'): Promise<PartnerInfo> {
    const row = await this.row(code);
    await updatePartner(this.db, row.id, { disabled_at: disabled ? this.clock.now().toISOString() : null });
    await this.audit(row, actor, disabled ? 'partner.disable' : 'partner.enable');
    this.onChange?.(row.id);
    return this.get(code);
  }

  async setCountries(code: string, countries: readonly string[], actor = 'cli'): Promise<PartnerInfo> {
    const row = await this.row(code);
    const list = parseCountries(countries);
    await updatePartner(this.db, row.id, { countries: JSON.stringify(list) });
    await this.audit(row, actor, 'partner.countries', { countries: list });
    this.onChange?.(row.id);
    return this.get(code);
  }

  /**
   * Buys a package: a price per successful call (default 0) and an optional period. Buying a
   * package the partner holds already renews it: new price and period, same status.
   */
  async addPackage(o: {
    partner: string;
    package: string;
    price?: string | undefined;
    starts?: string | undefined;
    expires?: string | undefined;
    actor?: string;
  }): Promise<PackageInfo> {
    const row = await this.row(o.partner);
    if (!isPackageName(o.package)) {
      throw invalidInput('package', `"${o.package}" is not a package (${PACKAGES.join(', ')})`);
    }
    const countries = JSON.parse(row.countries) as string[];
    const pkg = o.package;
    if (!countries.some((c) => isIndicatorCountry(c) && PACKAGES_BY_COUNTRY[c].includes(pkg))) {
      throw invalidInput(
        'package',
        `${pkg} is not offered in any of the partner's countries (${countries.join(', ')})`,
      );
    }
    // Renewing keeps what the operator did not restate: a renewal that names only a new expiry
    // must not make the package free, nor one that names only a price lift its expiry.
    const prior = await findPackage(this.db, row.id, pkg);
    const price = o.price === undefined ? (prior?.price ?? 0) : parseAmount(o.price, 'price');
    const startsAt =
      o.starts === undefined ? (prior?.starts_at ?? null) : packageTimeOrNone(o.starts, 'starts', false);
    const expiresAt =
      o.expires === undefined ? (prior?.expires_at ?? null) : packageTimeOrNone(o.expires, 'expires', true);
    if (startsAt && expiresAt && expiresAt <= startsAt)
      throw invalidInput('expires', 'expires must be after starts');
    const now = this.clock.now().toISOString();
    await upsertPackage(this.db, {
      partner_id: row.id,
      package: pkg,
      price,
      status: 'active',
      starts_at: startsAt,
      expires_at: expiresAt,
      created_at: now,
      updated_at: now,
    });
    await this.audit(row, o.actor, 'partner.package.add', { package: pkg, price, startsAt, expiresAt });
    return this.package(row.id, pkg);
  }

  async setPackageStatus(
    code: string,
    pkg: string,
    status: 'active' | 'suspended',
    actor = 'cli',
  ): Promise<PackageInfo> {
    const row = await this.row(code);
    if (!(await setPackageStatus(this.db, row.id, pkg, status, this.clock.now().toISOString()))) {
      throw notFound(`package ${pkg} of partner`, code);
    }
    await this.audit(row, actor, status === 'active' ? 'partner.package.resume' : 'partner.package.suspend', {
      package: pkg,
    });
    return this.package(row.id, pkg);
  }

  async packages(code: string): Promise<PackageInfo[]> {
    const row = await this.row(code);
    return (await listPackages(this.db, row.id)).map(toPackage);
  }

  /** Adds to the prepaid balance, with its ledger entry, in one transaction. */
  async topUp(code: string, amountText: string, actor = 'cli'): Promise<{ amount: number; balance: number }> {
    const row = await this.row(code);
    const amount = parseAmount(amountText, 'amount', { positive: true });
    const balance = await this.db.transaction().execute(async (trx) => {
      const after = await creditPartner(trx, row.id, amount, MAX_AMOUNT);
      if (after === undefined) {
        throw invalidInput(
          'amount',
          `the balance would go above ${toDecimal(MAX_AMOUNT)}, the most it holds`,
        );
      }
      await insertLedgerEntry(trx, {
        id: newId('led'),
        partner_id: row.id,
        kind: 'topup',
        amount,
        balance_after: after,
        sequence_id: null,
        actor,
        created_at: this.clock.now().toISOString(),
      });
      return after;
    });
    await this.audit(row, actor, 'partner.topup', { amount });
    return { amount: toDecimal(amount), balance: toDecimal(balance) };
  }

  /** The partner's balance, packages, call totals, latest calls and ledger entries. */
  async usage(code: string, limit = 50) {
    const row = await this.row(code);
    const [packages, totals, calls, ledger] = await Promise.all([
      listPackages(this.db, row.id),
      countCalls(this.db, row.id),
      listCalls(this.db, row.id, limit),
      listLedger(this.db, row.id, limit),
    ]);
    return {
      partner: toPartner(row),
      packages: packages.map(toPackage),
      totals: { calls: totals.calls, succeeded: totals.succeeded, charged: toDecimal(totals.charged) },
      calls: calls.map((c) => ({
        sequenceId: c.sequence_id,
        package: c.package,
        country: c.country,
        code: c.code,
        message: c.message,
        charged: toDecimal(c.charged),
        createdAt: c.created_at,
      })),
      ledger: ledger.map((l) => ({
        id: l.id,
        kind: l.kind,
        amount: toDecimal(l.amount),
        balanceAfter: toDecimal(l.balance_after),
        sequenceId: l.sequence_id,
        actor: l.actor,
        createdAt: l.created_at,
      })),
    };
  }

  private async package(partnerId: string, pkg: string): Promise<PackageInfo> {
    const found = (await listPackages(this.db, partnerId)).find((p) => p.package === pkg);
    if (!found) throw notFound('package', pkg);
    return toPackage(found);
  }

  private async row(code: string): Promise<PartnerWithTenant> {
    const row = await findPartnerByCode(this.db, code);
    if (!row) throw notFound('partner', code);
    return row;
  }

  private async audit(
    row: PartnerRow,
    actor: string | undefined,
    action: string,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await audit(this.db, this.clock, {
      tenantId: row.tenant_id,
      actor: actor ?? 'cli',
      action,
      targetType: 'partner',
      targetId: row.id,
      ...(details ? { details } : {}),
    });
  }
}
