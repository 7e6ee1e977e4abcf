/**
 * Facebook Graph API: `GET /v19.0/me?fields=...&access_token=`. Answers
 * `{id, name, email, birthday: "MM/DD/YYYY", gender, location: {name}, friends: {summary:
 * {total_count}}, work: [{employer: {name}, position: {name}, start_date, end_date}], education:
 * [{school: {name}, type}]}`. A bad or revoked token: 400 `{"error": {"type": "OAuthException",
 * "code": 190, ...}}`. Facebook does not tell when an account was made.
 */
import { bearer, compact, graphRefusal, num, obj, type SocialConnector, str, tokenOf } from './connector.js';

const FIELDS = 'id,name,email,birthday,gender,location,friends.limit(0),work,education';

export const facebook: SocialConnector = {
  network: 'facebook',
  token: tokenOf('facebook'),
  async fetch(http, base, token) {
    const url = `${base}/v19.0/me?fields=${encodeURIComponent(FIELDS)}&access_token=${encodeURIComponent(token)}`;
    const b = obj((await http.call(url, bearer(token), graphRefusal)).body);
    const email = str(b.email);
    const work = Array.isArray(b.work) ? b.work.map(obj) : [];
    const education = Array.isArray(b.education) ? b.education.map(obj) : [];
    return compact({
      token_valid: true,
      id: str(b.id),
      name: str(b.name),
      email,
      emails: email ? [email] : [],
      gender: str(b.gender),
      birthday: str(b.birthday),
      city_name: str(obj(b.location).name),
      connections: num(obj(obj(b.friends).summary).total_count),
      work: work.map((w) =>
        compact({
          employer: str(obj(w.employer).name),
          title: str(obj(w.position).name),
          from: str(w.start_date),
          to: str(w.end_date) ?? null,
        }),
      ),
      educations: education.map((e) => str(obj(e.school).name)).filter((s): s is string => s !== undefined),
    });
  },
};
