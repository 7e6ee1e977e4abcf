/**
 * Google: the token info endpoint, `GET /oauth2/v3/tokeninfo?access_token=`, tells which scopes
 * the token was granted (`{azp, aud, sub, scope: "space-separated", exp, expires_in, email,
 * email_verified: "true"}`; a bad, expired or revoked token: 400 `{"error": "invalid_token",
 * "error_description": "Invalid Value"}`). Then `GET /oauth2/v3/userinfo` with the token as Bearer:
 * `{sub, name, given_name, family_name, picture, email, email_verified, locale}`, when the token
 * holds a profile or email scope. The scopes become the `google_scopes_notice` (notices.ts).
 */
import { bearer, compact, obj, type SocialConnector, str, tokenOf, unauthorised } from './connector.js';

const PROFILE_SCOPES = [
  'openid',
  'email',
  'profile',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
];

export const google: SocialConnector = {
  network: 'google',
  token: tokenOf('google'),
  async fetch(http, base, token) {
    const info = obj(
      (
        await http.call(`${base}/oauth2/v3/tokeninfo?access_token=${encodeURIComponent(token)}`, {}, (a) =>
          a.status === 400 && str(obj(a.body).error) === 'invalid_token'
            ? (str(obj(a.body).error_description) ?? 'invalid_token')
            : unauthorised(a),
        )
      ).body,
    );
    const scopes = (str(info.scope) ?? '').split(/\s+/).filter((s) => s !== '');
    const user = scopes.some((s) => PROFILE_SCOPES.includes(s))
      ? obj((await http.call(`${base}/oauth2/v3/userinfo`, bearer(token), unauthorised)).body)
      : {};
    const email = str(user.email) ?? str(info.email);
    const verified = user.email_verified ?? info.email_verified;
    return compact({
      token_valid: true,
      id: str(user.sub) ?? str(info.sub),
      scopes,
      name: str(user.name),
      email,
      emails: email ? [email] : [],
      email_verified:
        verified === true || verified === 'true'
          ? true
          : verified === false || verified === 'false'
            ? false
            : undefined,
      locale: str(user.locale),
    });
  },
};
