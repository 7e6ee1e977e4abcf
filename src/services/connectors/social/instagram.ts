/**
 * Instagram Graph API: `GET /me?fields=id,username,account_type,media_count,followers_count&access_token=`.
 * Answers `{id, username, account_type, media_count, followers_count}` (`followers_count` for
 * professional accounts only). A bad or revoked token: 400 `{"error": {"type": "OAuthException",
 * "code": 190, ...}}`.
 */
import { bearer, compact, graphRefusal, num, obj, type SocialConnector, str, tokenOf } from './connector.js';

export const instagram: SocialConnector = {
  network: 'instagram',
  token: tokenOf('instagram'),
  async fetch(http, base, token) {
    const url = `${base}/me?fields=id,username,account_type,media_count,followers_count&access_token=${encodeURIComponent(token)}`;
    const b = obj((await http.call(url, bearer(token), graphRefusal)).body);
    return compact({
      token_valid: true,
      id: str(b.id),
      username: str(b.username),
      account_type: str(b.account_type),
      media_count: num(b.media_count),
      connections: num(b.followers_count),
    });
  },
};
