/** A small element builder: enough for a console of tables and forms, without a framework. */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Table rows; `cells` renders one row. */
export const tableRows = <T>(rows: T[], cells: (row: T) => Child[]) =>
  rows.map((r) => h('tr', {}, ...cells(r).map((c) => h('td', {}, c))));

/** A table of rows; `cells` renders one row. */
export function table<T>(headers: string[], rows: T[], cells: (row: T) => Child[], testId?: string) {
  return h(
    'table',
    { 'data-testid': testId },
    h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', {}, x)))),
    h('tbody', {}, ...tableRows(rows, cells)),
  );
}

export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  new FormData(form).forEach((v, k) => {
    out[k] = String(v).trim();
  });
  return out;
}

export const list = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const when = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 19) : '');
