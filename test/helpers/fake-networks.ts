/**
 * A local stand-in for the social networks' and Gmail's HTTP APIs, speaking each one's documented
 * request and response shapes (see the connector files in src/services/connectors/social). The
 * token decides the behaviour: `good`, `revoked`, `invalid`, `limited` (429 every time), `flaky`
 * (503 once, then good), `slow` (answers after 5 s); Google tokens may end in `:scope1 scope2...`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONNECTOR_SERVICES, type ConnectorConfig } from '../../src/config.js';

export interface FakeNetworks {
  url: string;
  /** Requests seen, as `METHOD path`. */
  requests: string[];
  /** Gmail: the attachments of the mailbox, by file name. */
  attachments: { filename: string; mimeType: string; data: Buffer }[];
  stop(): Promise<void>;
}

const json = (
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const graphError = (res: http.ServerResponse, token: string) =>
  json(res, 400, {
    error: {
      message:
        token === 'revoked'
          ? 'Error validating access token: The user has not authorized application 1234.'
          : 'Invalid OAuth access token - Cannot parse access token',
      type: 'OAuthException',
      code: 190,
      error_subcode: token === 'revoked' ? 458 : undefined,
      fbtrace_id: 'AbCdEf',
    },
  });

const PROFILES: Record<string, (path: string, res: http.ServerResponse, token: string) => boolean> = {
  facebook: (path, res, token) => {
    if (!path.startsWith('/v19.0/me')) return false;
    if (token === 'revoked' || token === 'invalid') graphError(res, token);
    else
      json(res, 200, {
        id: '10158',
        name: 'Amina Odhiambo',
        email: 'amina@example.com',
        birthday: '04/12/1990',
        gender: 'female',
        location: { id: '1', name: 'Nairobi, Kenya' },
        friends: { data: [], summary: { total_count: 412 } },
        work: [{ employer: { name: 'Safaricom' }, position: { name: 'Analyst' }, start_date: '2016-02-01' }],
        education: [{ school: { name: 'University of Nairobi' }, type: 'College' }],
      });
    return true;
  },
  instagram: (path, res, token) => {
    if (!path.startsWith('/me')) return false;
    if (token === 'revoked' || token === 'invalid') graphError(res, token);
    else
      json(res, 200, {
        id: '1789',
        username: 'amina.o',
        account_type: 'BUSINESS',
        media_count: 120,
        followers_count: 950,
      });
    return true;
  },
  linkedin: (path, res, token) => {
    if (path !== '/v2/userinfo') return false;
    if (token === 'revoked' || token === 'invalid')
      json(res, 401, {
        serviceErrorCode: 65601,
        message: 'The token used in the request has been revoked by the user',
        status: 401,
      });
    else
      json(res, 200, {
        sub: 'x1Y2',
        name: 'Amina Odhiambo',
        given_name: 'Amina',
        family_name: 'Odhiambo',
        email: 'amina@example.com',
        email_verified: true,
        locale: { country: 'KE', language: 'en' },
      });
    return true;
  },
  twitter: (path, res, token) => {
    if (!path.startsWith('/2/users/me')) return false;
    if (token === 'revoked' || token === 'invalid')
      json(res, 401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    else
      json(res, 200, {
        data: {
          id: '2244994945',
          name: 'Amina O.',
          username: 'aminao',
          created_at: '2013-12-14T04:35:55.000Z',
          verified: false,
          location: 'Nairobi',
          public_metrics: { followers_count: 230, following_count: 180, tweet_count: 5120, listed_count: 2 },
        },
      });
    return true;
  },
  paypal: (path, res, token) => {
    if (!path.startsWith('/v1/identity/oauth2/userinfo')) return false;
    if (token === 'revoked' || token === 'invalid')
      json(res, 401, { error: 'invalid_token', error_description: 'Token signature verification failed' });
    else
      json(res, 200, {
        user_id: 'https://www.paypal.com/webapps/auth/identity/user/WmF7',
        name: 'Amina Odhiambo',
        emails: [{ value: 'amina@example.com', primary: true, confirmed: true }],
        address: {
          street_address: '1 Moi Ave',
          locality: 'Nairobi',
          region: 'Nairobi',
          postal_code: '00100',
          country: 'KE',
        },
        verified_account: 'true',
        phone_numbers: [{ value: '+254712345678' }],
      });
    return true;
  },
  google: (path, res, token) => {
    const cut = token.indexOf(':');
    const base = cut < 0 ? token : token.slice(0, cut);
    const scopeText = cut < 0 ? undefined : token.slice(cut + 1);
    if (path.startsWith('/oauth2/v3/tokeninfo')) {
      if (base === 'revoked' || base === 'invalid')
        json(res, 400, { error: 'invalid_token', error_description: 'Invalid Value' });
      else
        json(res, 200, {
          azp: '1234.apps.googleusercontent.com',
          aud: '1234.apps.googleusercontent.com',
          sub: '1099',
          scope: scopeText ?? 'openid https://www.googleapis.com/auth/userinfo.email',
          exp: '1900000000',
          expires_in: '3599',
          email: 'amina@gmail.com',
          email_verified: 'true',
        });
      return true;
    }
    if (path === '/oauth2/v3/userinfo') {
      json(res, 200, {
        sub: '1099',
        name: 'Amina Odhiambo',
        email: 'amina@gmail.com',
        email_verified: true,
        locale: 'en',
      });
      return true;
    }
    return false;
  },
};

export async function startFakeNetworks(): Promise<FakeNetworks> {
  const requests: string[] = [];
  const flaky = new Set<string>();
  const attachments: FakeNetworks['attachments'] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}`);
    const [, network, ...rest] = url.pathname.split('/');
    const path = `/${rest.join('/')}`;
    const token =
      url.searchParams.get('access_token') ?? (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const base = token.split(':')[0]!;
    if (base === 'limited')
      return json(res, 429, { title: 'Too Many Requests', status: 429 }, { 'retry-after': '0' });
    if (base === 'flaky' && !flaky.has(`${network}${path}`)) {
      flaky.add(`${network}${path}`);
      return json(res, 503, { error: 'backend unavailable' });
    }
    const answer = () => {
      if (network === 'gmail') return gmail(path, url, res, token, attachments);
      const profile = PROFILES[network ?? ''];
      if (!profile?.(path, res, token)) json(res, 404, { error: 'no such path' });
    };
    if (base === 'slow') setTimeout(answer, 5000);
    else answer();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    attachments,
    stop: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A test app's connector settings: every service pointed at the fake, with these limits. */
export const fakeConnectorConfig = (f: FakeNetworks, o: Partial<ConnectorConfig> = {}): ConnectorConfig => ({
  urls: Object.fromEntries(CONNECTOR_SERVICES.map((n) => [n, `${f.url}/${n}`])) as ConnectorConfig['urls'],
  timeoutMs: 2000,
  attempts: 3,
  documentMaxBytes: 10 * 1024 * 1024,
  documentTimeoutMs: 10_000,
  ...o,
});

/** The same for a server started as a child process: its connector URL variables. */
export const fakeConnectorEnv = (f: FakeNetworks): Record<string, string> =>
  Object.fromEntries(
    CONNECTOR_SERVICES.map((n) => [`CREDENCE_CONNECTOR_${n.toUpperCase()}_URL`, `${f.url}/${n}`]),
  );

/** Gmail API v1: messages.list with `q`, messages.get, messages.attachments.get (base64url data). */
function gmail(
  path: string,
  url: URL,
  res: http.ServerResponse,
  token: string,
  attachments: FakeNetworks['attachments'],
) {
  if (token === 'revoked' || token === 'invalid')
    return json(res, 401, {
      error: {
        code: 401,
        message: 'Request had invalid authentication credentials.',
        status: 'UNAUTHENTICATED',
      },
    });
  const list = /^\/gmail\/v1\/users\/me\/messages$/.exec(path);
  if (list) {
    const page = Number(url.searchParams.get('pageToken') ?? 0);
    const ids = attachments.map((_, i) => `m${i}`);
    const slice = ids.slice(page, page + 2);
    return json(res, 200, {
      messages: slice.map((id) => ({ id, threadId: `t${id}` })),
      ...(page + 2 < ids.length ? { nextPageToken: String(page + 2) } : {}),
      resultSizeEstimate: ids.length,
    });
  }
  const get = /^\/gmail\/v1\/users\/me\/messages\/m(\d+)$/.exec(path);
  if (get) {
    const a = attachments[Number(get[1])];
    if (!a) return json(res, 404, { error: { code: 404, message: 'Requested entity was not found.' } });
    return json(res, 200, {
      id: `m${get[1]}`,
      threadId: `tm${get[1]}`,
      payload: {
        mimeType: 'multipart/mixed',
        parts: [
          { partId: '0', mimeType: 'text/plain', filename: '', body: { size: 5, data: 'aGVsbG8' } },
          {
            partId: '1',
            mimeType: a.mimeType,
            filename: a.filename,
            body: { attachmentId: `att${get[1]}`, size: a.data.length },
          },
        ],
      },
    });
  }
  const att = /^\/gmail\/v1\/users\/me\/messages\/m(\d+)\/attachments\/att(\d+)$/.exec(path);
  if (att) {
    const a = attachments[Number(att[1])];
    if (!a) return json(res, 404, { error: { code: 404, message: 'Requested entity was not found.' } });
    return json(res, 200, { size: a.data.length, data: a.data.toString('base64url') });
  }
  return json(res, 404, { error: { code: 404, message: 'no such path' } });
}
