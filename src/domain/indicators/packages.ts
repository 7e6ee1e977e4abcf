/**
 * Credit-indicator packages and the countries they are sold in (seeds/td-credit-indicators.txt,
 * `package_name` and `country`; shared/VENDORS.md). A request names one package.
 */

export const INDICATOR_COUNTRIES = ['MX', 'IN', 'TH', 'CO', 'PH', 'VN', 'NG', 'PK'] as const;
export type IndicatorCountry = (typeof INDICATOR_COUNTRIES)[number];

export const PACKAGES = [
  'credit_rating_estimation',
  'multiplatform_multi',
  'behavior_analysis_of_repayment',
  'multiplatform_multi_V1_1',
] as const;
export type PackageName = (typeof PACKAGES)[number];

const ALL: readonly PackageName[] = PACKAGES;
const REPAYMENT_AND_V1_1: readonly PackageName[] = [
  'behavior_analysis_of_repayment',
  'multiplatform_multi_V1_1',
];

/** Vietnam, Nigeria and Pakistan get only the repayment package and Multiplatform V1.1. */
export const PACKAGES_BY_COUNTRY: Readonly<Record<IndicatorCountry, readonly PackageName[]>> = {
  MX: ALL,
  IN: ALL,
  TH: ALL,
  CO: ALL,
  PH: ALL,
  VN: REPAYMENT_AND_V1_1,
  NG: REPAYMENT_AND_V1_1,
  PK: REPAYMENT_AND_V1_1,
};

export const isIndicatorCountry = (c: string): c is IndicatorCountry =>
  (INDICATOR_COUNTRIES as readonly string[]).includes(c);

export const isPackageName = (p: string): p is PackageName => (PACKAGES as readonly string[]).includes(p);

export const offersPackage = (country: IndicatorCountry, pkg: PackageName): boolean =>
  PACKAGES_BY_COUNTRY[country].includes(pkg);
