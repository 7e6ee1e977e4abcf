/**
 * LinkedIn, Sign In with LinkedIn using OpenID Connect: `GET /v2/userinfo` with the token as
 * Bearer. Answers `{sub, name, given_name, family_name, picture, email, email_verified, locale:
 * {country, language}}`. A bad or revoked token: 401 `{"serviceErrorCode": 65600, "message":
 * "Invalid access token", "status": 401}`. Connection counts are open to LinkedIn partners only.
 */
import { bearer, compact, obj, type SocialConnector, str, tokenOf, unauthorised } from './connector.js';

export const linkedin: SocialConnector = {
  network: 'linkedin',
  token: tokenOf('linkedin'),
  async fetch(http, base, token) {
    const b = obj((await http.call(`${base}/v2/userinfo`, bearer(token), unauthorised)).body);
    const email = str(b.email);
    return compact({
      token_valid: true,
      id: str(b.sub),
      name: str(b.name),
      email,
      emails: email ? [email] : [],
      email_verified: typeof b.email_verified === 'boolean' ? b.email_verified : undefined,
      locale_country: str(obj(b.locale).country),
    });
  },
};
