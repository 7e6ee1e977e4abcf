/**
 * Whether a partner's purchased package may serve a call now, checked in this order: purchased,
 * not suspended, already effective, not yet expired, and a balance that covers its price. The
 * first failure is the answer (docs/td.md#validation-order).
 */
import { CredenceError } from './errors.js';

export interface PackageAccount {
  status: string;
  startsAt: string | null;
  /** Exclusive end. */
  expiresAt: string | null;
  /** Ten-thousandths. */
  price: number;
  balance: number;
}

export function assertPackageUsable(
  pkg: PackageAccount | undefined,
  name: string,
  now: Date,
): PackageAccount {
  if (!pkg) throw new CredenceError('CREDENCE_PACKAGE_NOT_PURCHASED', `package ${name} is not purchased`);
  if (pkg.status === 'suspended') {
    throw new CredenceError('CREDENCE_PACKAGE_SUSPENDED', `package ${name} is suspended`);
  }
  const t = now.getTime();
  if (pkg.startsAt !== null && t < Date.parse(pkg.startsAt)) {
    throw new CredenceError(
      'CREDENCE_PACKAGE_NOT_EFFECTIVE',
      `package ${name} is effective from ${pkg.startsAt}`,
    );
  }
  if (pkg.expiresAt !== null && t >= Date.parse(pkg.expiresAt)) {
    throw new CredenceError('CREDENCE_PACKAGE_EXPIRED', `package ${name} expired at ${pkg.expiresAt}`);
  }
  if (pkg.balance < pkg.price) throw insufficientBalance();
  return pkg;
}

export const insufficientBalance = () =>
  new CredenceError('CREDENCE_INSUFFICIENT_BALANCE', 'the balance does not cover the price of this call');
