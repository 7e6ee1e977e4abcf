/**
 * Fraud signals: a risk score from 0 to 99 and the reasons behind it, in the spirit of a minFraud
 * answer. Pure: what is known about the user comes in. Each signal that fires adds its weight;
 * the score is their sum, capped at 99 (0 when none fires). The weights are judgement, written
 * down in docs/connectors.md#fraud-signals, and meant to be tuned on a lender's own outcomes.
 */

export const FRAUD_SIGNALS = {
  ip_country_mismatch: {
    weight: 20,
    description: "The IP address is in another country than the user's phone or address",
  },
  hosting_asn: {
    weight: 30,
    description: 'The IP address belongs to a hosting or data-centre network (proxy, VPN or automation)',
  },
  disposable_email: {
    weight: 25,
    description: 'An email address of the user is at a disposable email domain',
  },
  ip_velocity: {
    weight: 20,
    description: 'Many users came from this IP address in the last 24 hours',
  },
  device_velocity: {
    weight: 15,
    description: 'Many users came from this device in the last 24 hours',
  },
  user_agent_contradiction: {
    weight: 20,
    description: 'The browser header contradicts the device the page claimed',
  },
  shared_email: {
    weight: 25,
    description: 'An email address of the user is also used by other users',
  },
  shared_phone: {
    weight: 25,
    description: 'A phone number of the user is also used by other users',
  },
  reserved_ip: {
    weight: 10,
    description: 'The IP address is malformed or reserved, so where the user is cannot be checked',
  },
} as const;

export type FraudSignal = keyof typeof FRAUD_SIGNALS;

/** Users (others than this one) seen with one IP address or device within 24 h before it is many. */
export const VELOCITY_THRESHOLD = 3;

export interface FraudInput {
  ip?: { valid_public_address: boolean; country_code: string | null; hosting: boolean } | undefined;
  /** ISO 3166 countries of the user's phone numbers and postal addresses. */
  phoneCountries: readonly string[];
  addressCountries: readonly string[];
  /** The user's email domains that are disposable. */
  disposableDomains: readonly string[];
  /** Claims of the device that its header contradicts (user-agent.ts). */
  deviceContradictions: readonly string[];
  /** Other users of the tenant seen with the same IP, device (24 h), email or phone (ever). */
  otherUsers: { ip: number; device: number; email: number; phone: number };
}

export interface FraudReason {
  code: FraudSignal;
  weight: number;
  description: string;
  detail: string;
}

export interface FraudAssessment {
  risk_score: number;
  reasons: FraudReason[];
}

export function assessFraud(input: FraudInput): FraudAssessment {
  const reasons: FraudReason[] = [];
  const fire = (code: FraudSignal, detail: string) =>
    reasons.push({
      code,
      weight: FRAUD_SIGNALS[code].weight,
      description: FRAUD_SIGNALS[code].description,
      detail,
    });

  const ip = input.ip;
  if (ip && !ip.valid_public_address) fire('reserved_ip', 'the reported address is not a public one');
  if (ip?.country_code) {
    const elsewhere = [...new Set([...input.phoneCountries, ...input.addressCountries])].filter(
      (c) => c !== ip.country_code,
    );
    if (elsewhere.length > 0)
      fire('ip_country_mismatch', `IP in ${ip.country_code}, phone or address in ${elsewhere.join(', ')}`);
  }
  if (ip?.hosting) fire('hosting_asn', 'the address is announced by a hosting provider');
  if (input.disposableDomains.length > 0) fire('disposable_email', input.disposableDomains.join(', '));
  if (input.otherUsers.ip >= VELOCITY_THRESHOLD)
    fire('ip_velocity', `${input.otherUsers.ip} other users from this address in 24 h`);
  if (input.otherUsers.device >= VELOCITY_THRESHOLD)
    fire('device_velocity', `${input.otherUsers.device} other users from this device in 24 h`);
  if (input.deviceContradictions.length > 0)
    fire('user_agent_contradiction', `contradicted: ${input.deviceContradictions.join(', ')}`);
  if (input.otherUsers.email > 0) fire('shared_email', `${input.otherUsers.email} other users`);
  if (input.otherUsers.phone > 0) fire('shared_phone', `${input.otherUsers.phone} other users`);

  const total = reasons.reduce((s, r) => s + r.weight, 0);
  reasons.sort((a, b) => b.weight - a.weight);
  return { risk_score: Math.min(99, total), reasons };
}
