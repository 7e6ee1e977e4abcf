/**
 * X (Twitter) API v2: `GET /2/users/me?user.fields=created_at,public_metrics,verified,location`
 * with an OAuth 2.0 user token as Bearer. Answers `{"data": {id, name, username, created_at,
 * verified, location, public_metrics: {followers_count, following_count, tweet_count}}}`. A bad
 * or revoked token: 401 `{"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}`;
 * rate limited: 429 with `x-rate-limit-reset`. Only the `twitter` token is used: an OAuth 1.0a
 * pair or a bare user id or screen name cannot read the user's own account.
 */
import { bearer, compact, num, obj, type SocialConnector, str, unauthorised } from './connector.js';

export const twitter: SocialConnector = {
  network: 'twitter',
  token: (tokens) => (str(tokens.twitter_secret) ? undefined : str(tokens.twitter)),
  async fetch(http, base, token) {
    const url = `${base}/2/users/me?user.fields=created_at,public_metrics,verified,location`;
    const d = obj(obj((await http.call(url, bearer(token), unauthorised)).body).data);
    const metrics = obj(d.public_metrics);
    return compact({
      token_valid: true,
      id: str(d.id),
      name: str(d.name),
      username: str(d.username),
      account_created_at: str(d.created_at),
      verified: typeof d.verified === 'boolean' ? d.verified : undefined,
      city_name: str(d.location),
      connections: num(metrics.followers_count),
      tweet_count: num(metrics.tweet_count),
    });
  },
};
