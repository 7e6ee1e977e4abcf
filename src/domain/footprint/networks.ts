/**
 * The social networks FriendlyScore takes access tokens for (seed: calculate-score,
 * `access_tokens`), and the Google scopes it asks for.
 */
export const NETWORKS = ['facebook', 'linkedin', 'twitter', 'google', 'paypal', 'instagram'] as const;
export type Network = (typeof NETWORKS)[number];

/**
 * The keys `access_tokens` may carry. Twitter comes as a token (`twitter`: OAuth 2.0, or with
 * `twitter_secret` an OAuth 1.0a pair) or as a user id or screen name; each of them links
 * Twitter, except `twitter_secret`, which is only the second half of a pair.
 */
export const ACCESS_TOKEN_KEYS: Readonly<Record<string, Network>> = {
  facebook: 'facebook',
  linkedin: 'linkedin',
  twitter: 'twitter',
  twitter_secret: 'twitter',
  twitter_user_id: 'twitter',
  twitter_screen_name: 'twitter',
  google: 'google',
  paypal: 'paypal',
  instagram: 'instagram',
};

export const TWITTER_SECRET = 'twitter_secret';

/** The scopes the seed requires of a Google token (it lists userinfo.email twice). */
export const GOOGLE_SCOPES = [
  'https://www.googleapis.com/auth/plus.login',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
  'https://www.googleapis.com/auth/calendar.readonly',
  'https://www.googleapis.com/auth/drive.file',
  'https://www.googleapis.com/auth/gmail.readonly',
  'https://www.googleapis.com/auth/analytics.readonly',
  'https://www.googleapis.com/auth/plus.me',
] as const;

/** The networks linked by a set of access tokens (non-empty values only). */
export function linkedNetworks(tokens: Readonly<Record<string, unknown>>): Network[] {
  const linked = new Set<Network>();
  for (const [key, value] of Object.entries(tokens)) {
    const network = key === TWITTER_SECRET ? undefined : ACCESS_TOKEN_KEYS[key];
    if (network && typeof value === 'string' && value.trim() !== '') linked.add(network);
  }
  return NETWORKS.filter((n) => linked.has(n));
}
