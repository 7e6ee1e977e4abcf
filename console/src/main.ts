/**
 * The Credence console: an operator signs in with an admin key, picks a tenant, and moves between
 * pages with hash routes (#/keys), so the server serves one file for every page.
 */
import './style.css';
import { ApiError, api, session } from './api.js';
import { h } from './dom.js';
import { keysPage } from './pages/keys.js';
import { modelsPage } from './pages/models.js';
import { subjectsPage } from './pages/subjects.js';
import { tenantsPage } from './pages/tenants.js';
import { webhooksPage } from './pages/webhooks.js';

export interface PageContext {
  /** The tenant chosen in the header, by name. */
  tenant: string | null;
  /** Renders the current page again (after a change). */
  refresh: () => void;
}
type Page = (ctx: PageContext) => Promise<Node>;

const PAGES: Record<string, { title: string; render: Page }> = {
  tenants: { title: 'Tenants', render: tenantsPage },
  keys: { title: 'Keys', render: keysPage },
  subjects: { title: 'Subjects', render: subjectsPage },
  models: { title: 'Models', render: modelsPage },
  webhooks: { title: 'Webhooks', render: webhooksPage },
};
const TENANT = 'credence.tenant';
const root = document.getElementById('app')!;

/**
 * Whether a key can be sent in a header at all: an admin key is printable ASCII. Anything else (a
 * key copied with the list's ellipsis, or with an invisible space) makes the browser refuse the
 * request before it is sent, which would read as a server that cannot be reached.
 */
const sendableKey = (key: string) => /^[\x21-\x7e]+$/.test(key);
const NOT_A_KEY =
  'That is not an admin key: it holds characters no key has (an ellipsis, or an invisible space?). Paste the whole key as it was shown.';

function signInView(message?: string): Node {
  const form = h(
    'form',
    {
      class: 'signin',
      'data-testid': 'signin',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const key = (form.elements.namedItem('key') as HTMLInputElement).value.trim();
        if (!sendableKey(key)) {
          root.replaceChildren(signInView(NOT_A_KEY));
          return;
        }
        session.signIn(key);
        void render();
      },
    },
    h('h1', {}, 'Credence console'),
    h(
      'label',
      {},
      'Admin key',
      h('input', {
        name: 'key',
        type: 'password',
        autocomplete: 'off',
        placeholder: 'crd_ak_...',
        required: true,
      }),
    ),
    h('button', { type: 'submit' }, 'Sign in'),
    message ? h('p', { class: 'error', role: 'alert' }, message) : null,
  );
  return form;
}

function signOut(): void {
  session.signOut();
  void render();
}

/** Counts renders, so that a render overtaken by a newer one (a quick tenant change) draws nothing. */
let renders = 0;

/**
 * Draws the page of the current route for the chosen tenant. `aria-busy` on the root is true from
 * the moment a render starts until the newest one has drawn, so nobody works in a page about to be
 * replaced.
 */
async function render(): Promise<void> {
  const mine = ++renders;
  root.setAttribute('aria-busy', 'true');
  // Inert, not only greyed: a form on it could still be reached and sent from the keyboard, about
  // the tenant the header no longer shows.
  root.querySelector('main')?.setAttribute('inert', '');
  try {
    await draw(() => mine === renders);
  } finally {
    if (mine === renders) {
      root.setAttribute('aria-busy', 'false');
      root.querySelector('main')?.removeAttribute('inert');
    }
  }
}

/** The server could not be asked (down, restarting, overloaded): say so, and offer to try again. */
function unavailableView(err: unknown): Node {
  const why =
    err instanceof ApiError
      ? `The server answered ${err.status}: ${err.message}`
      : 'The server cannot be reached.';
  return h(
    'div',
    { class: 'signin', 'data-testid': 'unavailable' },
    h('h1', {}, 'Credence console'),
    h('p', { class: 'error', role: 'alert' }, why),
    h('button', { onclick: () => void render() }, 'Try again'),
    ' ',
    h('button', { onclick: signOut }, 'Sign out'),
  );
}

async function draw(current: () => boolean): Promise<void> {
  if (!session.key) {
    root.replaceChildren(signInView());
    return;
  }
  if (!sendableKey(session.key)) {
    session.signOut();
    root.replaceChildren(signInView(NOT_A_KEY));
    return;
  }
  const route = location.hash.replace(/^#\/?/, '').split('?')[0] || 'tenants';
  const page = PAGES[route] ?? PAGES.tenants!;
  let tenants: { name: string }[];
  try {
    tenants = (await api<{ tenants: { name: string }[] }>('/tenants')).tenants;
  } catch (err) {
    if (!current()) return;
    // Only a refused key signs out; a server restarting, unreachable or busy keeps the session.
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      session.signOut();
      root.replaceChildren(signInView(err.status === 403 ? err.message : 'That admin key was not accepted.'));
      return;
    }
    root.replaceChildren(unavailableView(err));
    return;
  }
  if (!current()) return;
  const saved = sessionStorage.getItem(TENANT);
  const tenant = tenants.find((t) => t.name === saved)?.name ?? tenants[0]?.name ?? null;
  const picker = h(
    'select',
    {
      'aria-label': 'Tenant',
      'data-testid': 'tenant-picker',
      onchange: () => {
        sessionStorage.setItem(TENANT, picker.value);
        void render();
      },
    },
    ...tenants.map((t) => h('option', { value: t.name, selected: t.name === tenant }, t.name)),
  );
  const nav = h(
    'header',
    {},
    h('strong', {}, 'Credence'),
    ...Object.entries(PAGES).map(([id, p]) =>
      h('a', { href: `#/${id}`, class: p === page ? 'active' : undefined }, p.title),
    ),
    h('span', { class: 'spacer' }),
    tenants.length ? picker : null,
    h('button', { onclick: signOut }, 'Sign out'),
  );
  const main = h('main', {}, h('h1', {}, page.title));
  let content: Node;
  try {
    content = await page.render({ tenant, refresh: () => void render() });
  } catch (err) {
    content = h('p', { class: 'error', role: 'alert' }, err instanceof Error ? err.message : String(err));
  }
  if (!current()) return;
  main.append(content);
  root.replaceChildren(nav, main);
}

window.addEventListener('hashchange', () => void render());
void render();
