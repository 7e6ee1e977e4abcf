/**
 * The data record kinds the footprint reads (docs/data-records.md). Submitted by the request:
 * `access_tokens`, `ip_address`, `user_agent`. Gathered by data connectors: `social.<network>`,
 * `fraud.ip`, and the CV parser's `cv.<part>`.
 */
import type { Network } from './networks.js';

export const SUBMITTED_KINDS = ['access_tokens', 'ip_address', 'user_agent'] as const;

export const socialKind = (n: Network) => `social.${n}`;

export const CV_PARTS = [
  'places',
  'days-of-birth',
  'skills',
  'phones',
  'work-periods',
  'universities',
  'emails',
] as const;
export type CvPart = (typeof CV_PARTS)[number];
export const cvKind = (p: CvPart) => `cv.${p}`;

export const FRAUD_KIND = 'fraud.ip';

/** What a connector stores as `social.<network>`; every field is optional. */
export interface SocialRecord {
  /** False when the network refused the token. */
  token_valid?: boolean;
  account_created_at?: string;
  connections?: number;
  emails?: string[];
  phones?: string[];
  /** Google: the scopes the token was granted. */
  scopes?: string[];
  /** The network verified the account (Twitter, PayPal) or the email address (Google, LinkedIn). */
  verified?: boolean;
  email_verified?: boolean;
  /** Schools and universities the profile names. */
  educations?: string[];
  [field: string]: unknown;
}

/** What a connector stores as `fraud.ip` (the shape of a minFraud answer, reduced). */
export interface FraudRecord {
  /** 0.01-99: the chance, in percent, that the request is fraudulent. */
  risk_score?: number;
  [field: string]: unknown;
}

export interface WorkPeriod {
  from?: string;
  to?: string | null;
  [field: string]: unknown;
}

/** The records a footprint is computed from: the newest record of each kind. */
export type Records = ReadonlyMap<string, unknown>;
