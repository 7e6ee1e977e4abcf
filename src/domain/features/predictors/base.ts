/**
 * One pass over a customer's device data into the sums, counts and sets every predictor is read
 * from. Predictors (definitions.ts) are then cheap lookups, so adding one costs no new pass.
 */
import { type AppCategory, appCategory } from '../apps/categories.js';
import type { DeviceInfo, DeviceSnapshot } from '../device/types.js';
import type { AccountType, ParsedSms } from '../sms/types.js';
import { countedTime, monthsBack, withinDays } from './windows.js';

/** Months `_m0` to `_m3`. */
export const MONTHS = 4;

export interface AccountState {
  type: AccountType;
  /** The balance of the newest of its messages that gave one. */
  latestBalance: number | null;
  balanceTime: number;
  /** Its newest message, with a balance or not. */
  latestTime: number;
}

export interface FeatureBase {
  asOf: number;
  sms: {
    count: number;
    c30: number;
    financial: number;
    transactionalC30: number;
    otpC30: number;
    promotionalC30: number;
    firstTime: number | null;
  };
  flows: {
    creditAmt: number[];
    creditCnt: number[];
    debitAmt: number[];
    debitCnt: number[];
    creditAmtC30: number;
    debitAmtC30: number;
    creditCntC30: number;
    debitCntC30: number;
    creditAmtC90: number;
    debitAmtC90: number;
    maxCreditC90: number | null;
    upiC30: number;
    cardC30: number;
    atmC30: number;
    balancesC30: number[];
  };
  credit: {
    bounceByMonth: number[];
    bounceC90: number;
    overdueC30: number;
    overdueC90: number;
    missedC30: number;
    approvedC30: number;
    disbursedC30: number;
    disbursedAmtC90: number;
    emiC30: number;
    emiAmtC30: number;
    maxDpd: number | null;
    lendersC90: Set<string>;
  };
  /** Salary credits, oldest first. */
  salaries: { time: number; amount: number }[];
  /** Non-loan credits per month, for the income estimate when there is no salary. */
  incomeCreditsByMonth: number[];
  accounts: Map<string, AccountState>;
  apps: {
    count: number;
    byCategory: Map<AppCategory, number>;
    installedC30: number;
    loanInstalledC30: number;
    loanInstalledC90: number;
    firstInstall: number | null;
    lastInstall: number | null;
  };
  calls: {
    c30: number;
    incomingC30: number;
    outgoingC30: number;
    missedC30: number;
    durationC30: number;
    answeredC30: number;
    numbersC30: Set<string>;
    first: number | null;
  };
  contacts: number | null;
  device: DeviceInfo | null;
  locations: { c30: number; mock: boolean };
  permissions: ReadonlySet<string>;
}

const zeros = () => new Array<number>(MONTHS).fill(0);

export function featureBase(s: DeviceSnapshot): FeatureBase {
  const b = empty(s);
  const asOf = s.asOf;
  for (const m of s.sms) {
    const time = countedTime(m.time, asOf);
    if (time === null) continue;
    const p = m.parsed;
    const c30 = withinDays(time, asOf, 30);
    const c90 = withinDays(time, asOf, 90);
    const month = monthsBack(time, asOf);
    b.sms.count++;
    if (c30) b.sms.c30++;
    if (b.sms.firstTime === null || time < b.sms.firstTime) b.sms.firstTime = time;
    if (p.category === 'otp') {
      if (c30) b.sms.otpC30++;
      continue;
    }
    if (p.category === 'promotional') {
      if (c30) b.sms.promotionalC30++;
      continue;
    }
    if (p.category === 'other') continue;
    b.sms.financial++;
    if (c30) b.sms.transactionalC30++;
    if (p.type && p.amount !== undefined) {
      const amt = p.amount;
      if (p.type === 'credit') {
        if (month < MONTHS) {
          b.flows.creditAmt[month]! += amt;
          b.flows.creditCnt[month]!++;
          // Borrowed money and the customer's own money moved in (a wallet's cash-in) earn nothing.
          if (p.category !== 'loan_disbursal' && p.channel !== 'cash-in')
            b.incomeCreditsByMonth[month]! += amt;
        }
        if (c30) {
          b.flows.creditAmtC30 += amt;
          b.flows.creditCntC30++;
        }
        if (c90) {
          b.flows.creditAmtC90 += amt;
          b.flows.maxCreditC90 = Math.max(b.flows.maxCreditC90 ?? 0, amt);
        }
      } else {
        if (month < MONTHS) {
          b.flows.debitAmt[month]! += amt;
          b.flows.debitCnt[month]!++;
        }
        if (c30) {
          b.flows.debitAmtC30 += amt;
          b.flows.debitCntC30++;
        }
        if (c90) b.flows.debitAmtC90 += amt;
      }
      if (c30 && p.channel === 'upi') b.flows.upiC30++;
      if (c30 && p.channel === 'card') b.flows.cardC30++;
      if (c30 && (p.channel === 'atm' || p.channel === 'cash')) b.flows.atmC30++;
    }
    if (c30 && p.balance !== undefined && p.accountType !== 'credit-card')
      b.flows.balancesC30.push(p.balance);
    if (p.accountType && p.accountType !== 'loan') trackAccount(b, time, m.sender, p);
    switch (p.category) {
      case 'salary':
        if (p.amount !== undefined) b.salaries.push({ time, amount: p.amount });
        break;
      case 'bounce':
        if (month < MONTHS) b.credit.bounceByMonth[month]!++;
        if (c90) b.credit.bounceC90++;
        break;
      case 'overdue':
        if (c30) b.credit.overdueC30++;
        if (c90) b.credit.overdueC90++;
        if (p.dpd !== undefined) b.credit.maxDpd = Math.max(b.credit.maxDpd ?? 0, p.dpd);
        break;
      case 'missed_payment':
        if (c30) b.credit.missedC30++;
        break;
      case 'loan_approved':
        if (c30) b.credit.approvedC30++;
        break;
      case 'loan_disbursal':
        if (c30) b.credit.disbursedC30++;
        if (c90) b.credit.disbursedAmtC90 += p.amount ?? 0;
        break;
      case 'emi':
        if (c30) {
          b.credit.emiC30++;
          b.credit.emiAmtC30 += p.amount ?? 0;
        }
        break;
    }
    if (
      c90 &&
      p.merchant &&
      ['loan_disbursal', 'emi', 'overdue', 'bounce', 'loan_approved'].includes(p.category)
    )
      b.credit.lendersC90.add(p.merchant.toLowerCase());
  }
  b.salaries.sort((x, y) => x.time - y.time);

  // An app list that names a package twice (a list sent with repeats) holds one installed app: the
  // first entry counts, as the list's others would be the same app counted again.
  const listed = new Set<string>();
  for (const a of s.apps) {
    if (listed.has(a.package)) continue;
    listed.add(a.package);
    const category = appCategory(a.package);
    if (category !== 'system') b.apps.count++;
    b.apps.byCategory.set(category, (b.apps.byCategory.get(category) ?? 0) + 1);
    // An installed app counts whatever its install date; a wrong date is only not used. A system
    // app's date is the system image's (often a fixed 2009-01-01), no install by the user: the
    // install predictors leave it out, as `cnt_apps` does.
    if (category === 'system') continue;
    const t = countedTime(a.firstInstallTime, asOf);
    if (t === null) continue;
    if (withinDays(t, asOf, 30)) b.apps.installedC30++;
    if (category === 'lending' && withinDays(t, asOf, 30)) b.apps.loanInstalledC30++;
    if (category === 'lending' && withinDays(t, asOf, 90)) b.apps.loanInstalledC90++;
    if (t > 0 && (b.apps.firstInstall === null || t < b.apps.firstInstall)) b.apps.firstInstall = t;
    if (b.apps.lastInstall === null || t > b.apps.lastInstall) b.apps.lastInstall = t;
  }

  for (const c of s.calls) {
    const time = countedTime(c.time, asOf);
    if (time === null) continue;
    if (b.calls.first === null || time < b.calls.first) b.calls.first = time;
    if (!withinDays(time, asOf, 30)) continue;
    b.calls.c30++;
    if (c.type === 'incoming') b.calls.incomingC30++;
    else if (c.type === 'outgoing') b.calls.outgoingC30++;
    else if (c.type === 'missed') b.calls.missedC30++;
    if (c.duration > 0) {
      b.calls.answeredC30++;
      b.calls.durationC30 += c.duration;
    }
    b.calls.numbersC30.add(c.number);
  }

  for (const l of s.locations) {
    const time = countedTime(l.time, asOf);
    // A fix dated after the sync is a wrong date, left out of every predictor (docs/finbox.md).
    if (time === null) continue;
    if (l.mock) b.locations.mock = true;
    if (withinDays(time, asOf, 30)) b.locations.c30++;
  }
  return b;
}

/**
 * The sender an account's messages come from, whatever route carried them: an Indian header's
 * operator and circle prefix (`VM-`, `AD-`) and its category suffix (`-S`, `-T`) vary from message
 * to message of the same sender (`VM-PAYTMB`, `AD-PAYTMB-S`).
 */
export function senderName(sender: string): string {
  return sender
    .toUpperCase()
    .replace(/^[A-Z]{2}-(?=[A-Z0-9]{3,})/, '')
    .replace(/-[A-Z]$/, '');
}

function trackAccount(b: FeatureBase, time: number, sender: string, p: ParsedSms): void {
  // A wallet is one account per sender (M-Pesa, GCash); a bank or card account is its digits.
  const id = p.accountType === 'ewallet' || !p.account ? senderName(sender) : p.account;
  const key = `${p.accountType}:${id}`;
  // Whatever order the messages come in (an Android inbox lists the newest first).
  const prev = b.accounts.get(key);
  if (!prev) {
    b.accounts.set(key, {
      type: p.accountType!,
      latestBalance: p.balance ?? null,
      balanceTime: p.balance === undefined ? Number.NEGATIVE_INFINITY : time,
      latestTime: time,
    });
    return;
  }
  if (time > prev.latestTime) prev.latestTime = time;
  if (p.balance !== undefined && time >= prev.balanceTime) {
    prev.latestBalance = p.balance;
    prev.balanceTime = time;
  }
}

function empty(s: DeviceSnapshot): FeatureBase {
  return {
    asOf: s.asOf,
    sms: {
      count: 0,
      c30: 0,
      financial: 0,
      transactionalC30: 0,
      otpC30: 0,
      promotionalC30: 0,
      firstTime: null,
    },
    flows: {
      creditAmt: zeros(),
      creditCnt: zeros(),
      debitAmt: zeros(),
      debitCnt: zeros(),
      creditAmtC30: 0,
      debitAmtC30: 0,
      creditCntC30: 0,
      debitCntC30: 0,
      creditAmtC90: 0,
      debitAmtC90: 0,
      maxCreditC90: null,
      upiC30: 0,
      cardC30: 0,
      atmC30: 0,
      balancesC30: [],
    },
    credit: {
      bounceByMonth: zeros(),
      bounceC90: 0,
      overdueC30: 0,
      overdueC90: 0,
      missedC30: 0,
      approvedC30: 0,
      disbursedC30: 0,
      disbursedAmtC90: 0,
      emiC30: 0,
      emiAmtC30: 0,
      maxDpd: null,
      lendersC90: new Set(),
    },
    salaries: [],
    incomeCreditsByMonth: zeros(),
    accounts: new Map(),
    apps: {
      count: 0,
      byCategory: new Map(),
      installedC30: 0,
      loanInstalledC30: 0,
      loanInstalledC90: 0,
      firstInstall: null,
      lastInstall: null,
    },
    calls: {
      c30: 0,
      incomingC30: 0,
      outgoingC30: 0,
      missedC30: 0,
      durationC30: 0,
      answeredC30: 0,
      numbersC30: new Set(),
      first: null,
    },
    contacts: s.contacts,
    device: s.device,
    locations: { c30: 0, mock: false },
    permissions: new Set(s.permissions),
  };
}
