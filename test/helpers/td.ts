/** Partner accounts and calls of the TD credit-indicator dialect, for tests. */
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './app.js';

export interface TestPartner {
  code: string;
  key: string;
  tenantId: string;
}

/** A valid request for each country: an id that passes its check, a phone that keeps its rules. */
export const PEOPLE = {
  MX: { id_number: 'BOXW310820HNERXN09', phone_number: '5512345678' },
  IN: { id_number: '234123412346', phone_number: '9876543210' },
  TH: { id_number: '3100600445635', phone_number: '0812345678' },
  CO: { id_number: '1020304050', phone_number: '3001234567' },
  PH: { id_number: '123456789012', phone_number: '09171234567' },
  VN: { id_number: '001099012345', phone_number: '0912345678' },
  NG: { id_number: '12345678901', phone_number: '08031234567' },
  PK: { id_number: '3420108912318', phone_number: '03001234567' },
} as const;

export type Country = keyof typeof PEOPLE;

export function request(country: Country, packageName: string, extra: Record<string, unknown> = {}) {
  return {
    ...PEOPLE[country],
    id_type: 'national_id',
    country,
    name: 'Test Person',
    package_name: packageName,
    ...extra,
  };
}

/** Creates a partner for the tenant (created if needed) with packages and a balance. */
export async function partnerWith(
  t: TestApp,
  tenant: string,
  o: {
    countries?: string[];
    packages?: { name: string; price?: string; starts?: string; expires?: string }[];
    balance?: string;
  } = {},
): Promise<TestPartner> {
  const existing = (await t.ctx.tenants.list()).find((x) => x.name === tenant);
  const tenantId = existing ? existing.id : (await t.ctx.tenants.create(tenant)).id;
  const p = await t.ctx.partners.create({ tenant, countries: o.countries });
  for (const pkg of o.packages ?? []) {
    await t.ctx.partners.addPackage({
      partner: p.code,
      package: pkg.name,
      price: pkg.price,
      starts: pkg.starts,
      expires: pkg.expires,
    });
  }
  if (o.balance) await t.ctx.partners.topUp(p.code, o.balance);
  return { code: p.code, key: p.key, tenantId };
}

export const tdUrl = (p: Pick<TestPartner, 'code' | 'key'>) =>
  `/td/api?partner_code=${encodeURIComponent(p.code)}&partner_key=${encodeURIComponent(p.key)}`;

export function tdCall(
  t: TestApp,
  p: Pick<TestPartner, 'code' | 'key'>,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: tdUrl(p),
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The indicators of a successful answer, by name. */
export function indicatorsOf(
  res: LightMyRequestResponse,
): Record<string, { status: number; value: number | string }> {
  const body = res.json() as {
    data: { indicator_name: string; indicator_status: number; indicator_value: number | string }[];
  };
  return Object.fromEntries(
    body.data.map((d) => [d.indicator_name, { status: d.indicator_status, value: d.indicator_value }]),
  );
}
