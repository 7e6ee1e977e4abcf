/** The admin API (/api/v1/admin) with the signed-in admin key; errors carry the problem's detail. */
const KEY = 'credence.adminKey';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const session = {
  get key(): string | null {
    return sessionStorage.getItem(KEY);
  },
  signIn(key: string) {
    sessionStorage.setItem(KEY, key);
  },
  signOut() {
    sessionStorage.removeItem(KEY);
  },
};

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${session.key ?? ''}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/api/v1/admin${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new ApiError(res.status, problemDetail(text) ?? `HTTP ${res.status}`);
  return (text ? JSON.parse(text) : null) as T;
}

/**
 * The `detail` of a problem+json answer; none when the answer is something else, such as the
 * HTML error page of a reverse proxy in front of the server (502, 504).
 */
function problemDetail(text: string): string | undefined {
  try {
    const detail = JSON.parse(text)?.detail;
    return typeof detail === 'string' ? detail : undefined;
  } catch {
    return undefined;
  }
}

/** Paths of one tenant's routes. */
export const tenantPath = (tenant: string, rest: string) => `/tenants/${encodeURIComponent(tenant)}${rest}`;
