import { describe, expect, it } from 'vitest';
import { syntheticSync } from '../../../../test/fixtures/device-sync.js';
import { smsFacts } from '../device/from-wire.js';
import type { DeviceSnapshot } from '../device/types.js';
import { computePredictorSets, PREDICTOR_SETS } from './registry.js';
import { PREDICTORS_V1 } from './v1.js';

const NOW = Date.parse('2025-06-15T10:00:00Z');

function snapshot(): DeviceSnapshot {
  const s = syntheticSync({ customerId: 'c1', now: NOW, sms: 600, apps: 80, calls: 300 });
  return {
    asOf: NOW,
    sms: smsFacts(s.sms!),
    apps: s.apps!.map((a) => ({ package: a.package, firstInstallTime: a.first_install_time })),
    calls: s.calls!.map((c) => ({
      type: c.type as 'incoming',
      duration: c.duration,
      time: c.timestamp,
      number: c.number_hash,
    })),
    contacts: s.contacts_count ?? null,
    device: {
      brand: 'samsung',
      model: 'SM-A125F',
      osVersion: '12',
      ramMb: 4096,
      storageMb: 65536,
      rooted: false,
    },
    locations: s.locations!.map((l) => ({ lat: l.lat, lon: l.lon, time: l.timestamp })),
    permissions: s.permissions!,
  };
}

/** The version-1 values of a snapshot at NOW that holds only `data`. */
function version1Values(data: Partial<DeviceSnapshot>): Record<string, unknown> {
  const s: DeviceSnapshot = {
    asOf: NOW,
    sms: [],
    apps: [],
    calls: [],
    contacts: null,
    device: null,
    locations: [],
    permissions: [],
    ...data,
  };
  return Object.fromEntries(
    computePredictorSets(s, [1])
      .get(1)!
      .map((p) => [p.name, p.value]),
  );
}

describe('predictor sets', () => {
  it('version 1 has at least 60 uniquely named predictors in FinBox style', () => {
    expect(PREDICTORS_V1.length).toBeGreaterThanOrEqual(60);
    const names = PREDICTORS_V1.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
    for (const n of [
      'calculated_income',
      'acc0_latest_balance',
      'amt_credit_txn_m3',
      'cnt_debit_txn_m1',
      'auto_debit_bounce_m1',
      'max_dpd',
      'cnt_apps_genre_finance',
      'days_since_first_install',
      'total_ram',
      'brand',
    ])
      expect(names).toContain(n);
  });

  it('version 1 returns the values it was published with (a new version changes nothing)', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const recorded = JSON.parse(
      fs.readFileSync(
        path.resolve(import.meta.dirname, '../../../../test/fixtures/predictors-v1.snapshot.json'),
        'utf8',
      ),
    );
    expect(computePredictorSets(snapshot(), [1]).get(1)).toEqual(recorded);
  });

  it('version 2 keeps every version-1 predictor with the same value, and only adds', () => {
    const sets = computePredictorSets(snapshot());
    const v1 = sets.get(1)!;
    const v2 = sets.get(2)!;
    expect(v2.slice(0, v1.length)).toEqual(v1);
    expect(v2.length).toBeGreaterThan(v1.length);
    expect(computePredictorSets(snapshot(), [1]).get(1)).toEqual(v1);
  });

  it('reads income, balances, credit notices and fraud signals from the data', () => {
    const day = 86_400_000;
    const sms = smsFacts([
      {
        sender: 'VK-HDFCBK',
        timestamp: Date.parse('2025-05-01T09:00:00Z'),
        body: 'Rs 50,000.00 credited to your A/c XX1111 on 01-05-25 towards SALARY from WIPRO LIMITED. Avl Bal Rs 60,000.00',
      },
      {
        sender: 'VK-HDFCBK',
        timestamp: Date.parse('2025-04-01T09:00:00Z'),
        body: 'Rs 48,000.00 credited to your A/c XX1111 on 01-04-25 towards SALARY from WIPRO LIMITED. Avl Bal Rs 52,000.00',
      },
      {
        sender: 'VM-KBEE',
        timestamp: NOW - 3 * day,
        body: 'Your EMI of Rs.4,200 for loan AB12CD34EF is overdue by 17 days. Please pay now. - KreditBee',
      },
      {
        sender: 'VK-NAVI',
        timestamp: Date.parse('2025-05-20T09:00:00Z'),
        body: 'Your NACH auto-debit of Rs.3,000 for loan ZX98 has bounced due to insufficient funds. - Navi',
      },
      {
        sender: 'MPESA',
        timestamp: NOW - day,
        body: 'QGH7XK2LPA Confirmed. You have received Ksh1,500.00 from JOHN 0712345678 on 14/6/25 at 4:15 PM. New M-PESA balance is Ksh2,340.50.',
      },
    ]);
    const v = version1Values({
      sms,
      apps: [
        { package: 'com.lexa.fakegps', firstInstallTime: NOW - 2 * day },
        { package: 'com.kreditbee.android', firstInstallTime: NOW - 400 * day },
      ],
    });
    expect(v.calculated_income).toBe(49_000);
    expect(v.salaried_flag).toBe(1);
    expect(v.cnt_salary_txns).toBe(2);
    expect(v.acc0_latest_balance).toBe(2340.5);
    expect(v.acc1_latest_balance).toBe(60_000);
    expect(v.cnt_overdue_sms_c30).toBe(1);
    expect(v.max_dpd).toBe(17);
    expect(v.auto_debit_bounce_m1).toBe(1);
    expect(v.fake_gps_app_flag).toBe(1);
    expect(v.cnt_loan_apps).toBe(1);
    expect(v.days_since_first_install).toBe(400);
    expect(v.cnt_contacts).toBeNull();
    expect(v.brand).toBeNull();
  });

  it("counts neither a wallet's cash-in nor a note inside a masked name as income or salary", () => {
    const day = 86_400_000;
    const gcash = (days: number, body: string) => ({ sender: 'GCash', timestamp: NOW - days * day, body });
    const sms = smsFacts([
      gcash(
        20,
        'You have successfully cashed-in PHP 3,000.00 to your GCash wallet via 7-Eleven. Your new balance is PHP 3,534.56. Ref. No. 1234567890127.',
      ),
      gcash(
        50,
        'You have successfully cashed-in PHP 3,000.00 to your GCash wallet via BDO Online. Your new balance is PHP 3,100.00. Ref. No. 1234567890128.',
      ),
      gcash(
        80,
        'You have received PHP 1,000.00 of GCash from SAL****** RE**S 09171234567. Your new balance is PHP 1,200.00. Ref. No. 9012345678901.',
      ),
    ]);
    const v = version1Values({ sms });
    expect(v.salaried_flag).toBe(0);
    expect(v.cnt_salary_txns).toBe(0);
    // The person-to-person credit is income; the customer's own cash-ins are not.
    expect(v.calculated_income).toBe(1_000);
  });

  it('counts an app the list names twice once', () => {
    const listed: [string, number][] = [
      ['com.kreditbee.android', 10],
      ['com.whatsapp', 400],
      ['com.kreditbee.android', 10],
      ['com.kreditbee.android', 5],
    ];
    const v = version1Values({
      apps: listed.map(([pkg, days]) => ({ package: pkg, firstInstallTime: NOW - days * 86_400_000 })),
    });
    expect(v.cnt_apps).toBe(2);
    expect(v.cnt_loan_apps).toBe(1);
    expect(v.cnt_loan_apps_installed_c30).toBe(1);
    expect(v.cnt_apps_installed_c30).toBe(1);
  });

  it("leaves a system app's install date out of the install predictors, as out of cnt_apps", () => {
    const v = version1Values({
      apps: [
        { package: 'com.android.chrome', firstInstallTime: NOW - 5 * 86_400_000 },
        { package: 'com.android.vending', firstInstallTime: Date.UTC(2009, 0, 1) },
        { package: 'com.whatsapp', firstInstallTime: NOW - 400 * 86_400_000 },
      ],
    });
    expect(v.cnt_apps).toBe(1);
    expect(v.cnt_apps_installed_c30).toBe(0);
    expect(v.days_since_first_install).toBe(400);
    expect(v.days_since_last_install).toBe(400);
  });

  it('counts what a fast phone clock dates up to a day after the sync as of the sync, and no later', () => {
    const hour = 3_600_000;
    const mpesa = (amount: string, balance: string, timestamp: number) => ({
      sender: 'MPESA',
      timestamp,
      body: `QGH7XK2LPA Confirmed. You have received Ksh${amount} from JOHN 0712345678 on 14/6/25 at 4:15 PM. New M-PESA balance is Ksh${balance}.`,
    });
    const v = version1Values({
      sms: smsFacts([
        mpesa('1,500.00', '2,340.50', NOW - 24 * hour),
        // Dated an hour after the server received the sync: the phone's clock runs fast.
        mpesa('2,000.00', '4,340.50', NOW + hour),
        // Dated three days ahead: a wrong date, not a skewed clock.
        mpesa('9,000.00', '13,340.50', NOW + 72 * hour),
      ]),
      calls: [
        { type: 'incoming', duration: 30, time: NOW + hour, number: 'a' },
        { type: 'incoming', duration: 30, time: NOW + 72 * hour, number: 'b' },
      ],
      // A mock fix dated three days ahead is left out like everything else so dated.
      locations: [{ lat: -1.29, lon: 36.82, time: NOW + 72 * hour, mock: true }],
    });
    expect(v.all_sms_count).toBe(2);
    expect(v.cnt_sms_c30).toBe(2);
    expect(v.amt_credit_txn_c30).toBe(3500);
    expect(v.acc0_latest_balance).toBe(4340.5);
    expect(v.cnt_calls_c30).toBe(1);
    expect(v.mock_location_flag).toBe(0);
    expect(v.cnt_location_fixes_c30).toBe(0);
    const skewed = version1Values({ locations: [{ lat: -1.29, lon: 36.82, time: NOW + hour, mock: true }] });
    expect(skewed.mock_location_flag).toBe(1);
  });

  it("takes an account's latest balance from its newest message that gives one, in any order", () => {
    const day = 86_400_000;
    const bank = (time: number, balance?: number) => ({
      time,
      sender: 'VM-HDFCBK',
      parsed: {
        category: 'transaction' as const,
        type: 'debit' as const,
        amount: 2857,
        account: '9939',
        accountType: 'bank' as const,
        ...(balance === undefined ? {} : { balance }),
      },
    });
    // The newest message gives no balance; the older one does. An Android inbox lists newest first.
    const newest = bank(NOW - 4 * day);
    const older = bank(NOW - 5 * day, 451_871.99);
    const oldest = bank(NOW - 9 * day, 1_000);
    for (const sms of [
      [newest, older, oldest],
      [oldest, older, newest],
      [older, newest, oldest],
    ]) {
      const v = version1Values({ sms });
      expect(v.acc0_latest_balance).toBe(451_871.99);
      expect(v.total_latest_balance).toBe(451_871.99);
    }
  });

  it('counts a debit card spend against a bank account, and a missed loan EMI as no card', () => {
    const day = 86_400_000;
    const v = version1Values({
      sms: smsFacts([
        {
          sender: 'VM-HDFCBK',
          timestamp: NOW - 2 * day,
          body: 'Rs.250.00 spent on HDFC Bank Debit Card XX4321 on 13-06-25 at AMAZON. Avl Bal: Rs.10,000.00',
        },
        {
          sender: 'VM-BAJAJF',
          timestamp: NOW - 3 * day,
          body: 'You have missed your EMI of Rs.5,000 due on 01-06-25 for Bajaj Finance Loan XX7788',
        },
        {
          sender: 'VM-ICICIB',
          timestamp: NOW - 4 * day,
          body: 'Rs.900.00 spent on ICICI Bank Credit Card XX1111 on 11-06-25 at SWIGGY. Avl Lmt: Rs.50,000.00',
        },
      ]),
    });
    expect(v.cnt_credit_cards).toBe(1);
    expect(v.cnt_savings_accounts).toBe(1);
    expect(v.total_latest_balance).toBe(10_000);
    expect(v.avg_balance_c30).toBe(10_000);
    expect(v.cnt_missed_payment_c30).toBe(1);
  });

  it('counts a wallet once whichever route prefix its sender header carried', () => {
    const day = 86_400_000;
    const v = version1Values({
      sms: smsFacts([
        {
          sender: 'VM-PAYTMB',
          timestamp: NOW - 3 * day,
          body: 'Paid Rs.100 to Swiggy from Paytm Wallet. Updated Balance: Rs.500. Txn ID: 123456',
        },
        {
          sender: 'AD-PAYTMB-S',
          timestamp: NOW - day,
          body: 'Paid Rs.100 to Zomato from Paytm Wallet. Updated Balance: Rs.400. Txn ID: 123457',
        },
      ]),
    });
    expect(v.cnt_wallet_accounts).toBe(1);
    expect(v.total_latest_balance).toBe(400);
  });

  it('every set lists each of its names once', () => {
    for (const [, defs] of PREDICTOR_SETS) expect(new Set(defs.map((d) => d.name)).size).toBe(defs.length);
  });
});

describe('the predictor dictionary', () => {
  it('is what docs/finbox-predictors.md says (npm run docs:predictors)', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { predictorDictionary } = await import('./dictionary.js');
    const doc = fs.readFileSync(
      path.resolve(import.meta.dirname, '../../../../docs/finbox-predictors.md'),
      'utf8',
    );
    expect(doc).toBe(predictorDictionary());
  });
});
