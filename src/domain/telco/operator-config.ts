/**
 * The operator's choices for the CAMARA Customer Insights API (docs/camara.md#operator-configuration):
 * which scales it offers, whether it takes an id document, which subscriptions it will not score,
 * how much history a score needs, the per-client rate limit and the consent policy.
 */
import { SCALES, type Scale } from './scales.js';
import { SUBSCRIPTION_TYPES, type SubscriptionType } from './subscriber.js';

export type ConsentPolicy = 'auto' | 'record';

export interface CamaraConfig {
  scales: Scale[];
  defaultScale: Scale;
  idDocument: {
    supported: boolean;
    /** The scales a request with an idDocument may ask for. */
    supportedScales: Scale[];
    /** Subscriptions whose requests must carry an idDocument. */
    requiredForSubscriptionTypes: SubscriptionType[];
    /**
     * true: a document no subscriber holds is 404 NOT_FOUND; false: it gets the answer of another
     * subscriber's (422), so that a caller cannot learn whether a document is any subscriber's.
     */
    notFoundForUnknown: boolean;
  };
  excludedSubscriptionTypes: SubscriptionType[];
  minHistoryDays: number;
  rateLimitPerSecond: number;
  /** auto: every CIBA request is approved (tests, demos); record: only with a consent record. */
  consent: ConsentPolicy;
}

export const DEFAULT_CAMARA_CONFIG: CamaraConfig = {
  scales: ['gaugeMetric', 'veritasIndex'],
  defaultScale: 'gaugeMetric',
  idDocument: {
    supported: true,
    supportedScales: ['gaugeMetric', 'veritasIndex'],
    requiredForSubscriptionTypes: [],
    notFoundForUnknown: true,
  },
  excludedSubscriptionTypes: ['b2b'],
  minHistoryDays: 90,
  rateLimitPerSecond: 50,
  consent: 'auto',
};

const KEYS = new Set(Object.keys(DEFAULT_CAMARA_CONFIG));
const ID_KEYS = new Set(Object.keys(DEFAULT_CAMARA_CONFIG.idDocument));

/** Reads the operator's JSON over the defaults; returns every problem found, naming the key. */
export function parseCamaraConfig(value: unknown): { config: CamaraConfig } | { problems: string[] } {
  const problems: string[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { problems: ['must be a JSON object'] };
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) if (!KEYS.has(k)) problems.push(`unknown key "${k}"`);
  const scaleList = (key: string, x: unknown, allowEmpty: boolean): Scale[] | undefined => {
    if (
      !Array.isArray(x) ||
      (!allowEmpty && x.length === 0) ||
      x.some((s) => !(SCALES as readonly unknown[]).includes(s))
    ) {
      problems.push(`${key} must be a list of ${SCALES.join(', ')}${allowEmpty ? '' : ' (at least one)'}`);
      return undefined;
    }
    return [...new Set(x as Scale[])];
  };
  const typeList = (key: string, x: unknown): SubscriptionType[] | undefined => {
    if (!Array.isArray(x) || x.some((s) => !(SUBSCRIPTION_TYPES as readonly unknown[]).includes(s))) {
      problems.push(`${key} must be a list of ${SUBSCRIPTION_TYPES.join(', ')}`);
      return undefined;
    }
    return [...new Set(x as SubscriptionType[])];
  };
  const c: CamaraConfig = structuredClone(DEFAULT_CAMARA_CONFIG);
  if (v.scales !== undefined) c.scales = scaleList('scales', v.scales, false) ?? c.scales;
  if (v.defaultScale !== undefined) {
    if ((SCALES as readonly unknown[]).includes(v.defaultScale)) c.defaultScale = v.defaultScale as Scale;
    else problems.push(`defaultScale must be one of ${SCALES.join(', ')}`);
  }
  if (!c.scales.includes(c.defaultScale)) problems.push('defaultScale must be one of the scales offered');
  if (v.idDocument !== undefined) {
    const d = v.idDocument as Record<string, unknown>;
    if (d === null || typeof d !== 'object' || Array.isArray(d))
      problems.push('idDocument must be an object');
    else {
      for (const k of Object.keys(d)) if (!ID_KEYS.has(k)) problems.push(`unknown key "idDocument.${k}"`);
      if (d.supported !== undefined) {
        if (typeof d.supported === 'boolean') c.idDocument.supported = d.supported;
        else problems.push('idDocument.supported must be true or false');
      }
      if (d.notFoundForUnknown !== undefined) {
        if (typeof d.notFoundForUnknown === 'boolean') c.idDocument.notFoundForUnknown = d.notFoundForUnknown;
        else problems.push('idDocument.notFoundForUnknown must be true or false');
      }
      if (d.supportedScales !== undefined)
        c.idDocument.supportedScales =
          scaleList('idDocument.supportedScales', d.supportedScales, true) ?? c.idDocument.supportedScales;
      if (d.requiredForSubscriptionTypes !== undefined)
        c.idDocument.requiredForSubscriptionTypes =
          typeList('idDocument.requiredForSubscriptionTypes', d.requiredForSubscriptionTypes) ?? [];
    }
  }
  if (c.idDocument.requiredForSubscriptionTypes.length > 0 && !c.idDocument.supported)
    problems.push('idDocument.requiredForSubscriptionTypes needs idDocument.supported: true');
  // A document required where no offered scale accepts one: those subscribers could never be scored.
  else if (
    c.idDocument.requiredForSubscriptionTypes.length > 0 &&
    !c.idDocument.supportedScales.some((s) => c.scales.includes(s))
  )
    problems.push(
      'idDocument.requiredForSubscriptionTypes needs idDocument.supportedScales to hold one of the scales offered',
    );
  if (v.excludedSubscriptionTypes !== undefined)
    c.excludedSubscriptionTypes = typeList('excludedSubscriptionTypes', v.excludedSubscriptionTypes) ?? [];
  if (v.minHistoryDays !== undefined) {
    if (Number.isInteger(v.minHistoryDays) && (v.minHistoryDays as number) >= 0)
      c.minHistoryDays = v.minHistoryDays as number;
    else problems.push('minHistoryDays must be a whole number of days, 0 or more');
  }
  if (v.rateLimitPerSecond !== undefined) {
    if (Number.isInteger(v.rateLimitPerSecond) && (v.rateLimitPerSecond as number) >= 1)
      c.rateLimitPerSecond = v.rateLimitPerSecond as number;
    else problems.push('rateLimitPerSecond must be a whole number, 1 or more');
  }
  if (v.consent !== undefined) {
    if (v.consent === 'auto' || v.consent === 'record') c.consent = v.consent;
    else problems.push('consent must be "auto" or "record"');
  }
  return problems.length > 0 ? { problems } : { config: c };
}
