/**
 * PayPal identity: `GET /v1/identity/oauth2/userinfo?schema=paypalv1.1` with the token as Bearer.
 * Answers `{user_id, name, emails: [{value, primary, confirmed}], address: {street_address,
 * locality, region, postal_code, country}, verified_account, phone_numbers: [{value}], payer_id}`.
 * A bad or revoked token: 401 `{"error": "invalid_token", "error_description": "..."}`.
 */
import { bearer, compact, obj, type SocialConnector, str, tokenOf, unauthorised } from './connector.js';

export const paypal: SocialConnector = {
  network: 'paypal',
  token: tokenOf('paypal'),
  async fetch(http, base, token) {
    const url = `${base}/v1/identity/oauth2/userinfo?schema=paypalv1.1`;
    const b = obj((await http.call(url, bearer(token), unauthorised)).body);
    const emails = (Array.isArray(b.emails) ? b.emails : []).map(obj);
    const phones = (Array.isArray(b.phone_numbers) ? b.phone_numbers : []).map((p) => str(obj(p).value));
    const address = obj(b.address);
    const verified = b.verified_account;
    return compact({
      token_valid: true,
      id: str(b.user_id),
      name: str(b.name),
      email: str(emails.find((e) => e.primary === true)?.value) ?? str(emails[0]?.value),
      emails: emails.map((e) => str(e.value)).filter((s): s is string => s !== undefined),
      phones: phones.filter((s): s is string => s !== undefined),
      address: str(address.street_address),
      city_name: str(address.locality),
      country: str(address.country),
      verified:
        verified === true || verified === 'true'
          ? true
          : verified === false || verified === 'false'
            ? false
            : undefined,
    });
  },
};
