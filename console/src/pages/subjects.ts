import { api, tenantPath } from '../api.js';
import { lineChart } from '../chart.js';
import { formValues, h, table, when } from '../dom.js';
import type { PageContext } from '../main.js';
import { noTenant, submitting } from './forms.js';

interface Subject {
  id: string;
  partner_id: string;
  identifiers: { kind: string; masked: string }[];
  created_at: string;
}
interface Reason {
  code: string;
  description: string;
  characteristic: string;
  shortfall: number;
}
interface Run {
  id: string;
  service: string;
  dialect: string;
  model_version: number | null;
  created_at: string;
  result: {
    scorecard?: { score: number; maxScore: number; pd: number; grade: string | null; reasons: Reason[] };
  };
}
interface Source {
  kind: string;
  source: string;
  created_at: string;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Every run of the subject, oldest first: the API gives at most 500 a page. */
async function allRuns(base: string): Promise<Run[]> {
  const runs: Run[] = [];
  let after: string | null = null;
  do {
    const q = new URLSearchParams({ limit: '500', ...(after ? { after } : {}) });
    const page: { runs: Run[]; next_cursor: string | null } = await api(`${base}/score-runs?${q}`);
    runs.push(...page.runs);
    after = page.next_cursor;
  } while (after);
  return runs;
}

async function subjectView(tenant: string, s: Subject): Promise<Node> {
  const base = tenantPath(tenant, `/subjects/${encodeURIComponent(s.id)}`);
  const [runs, { records }] = await Promise.all([
    allRuns(base),
    api<{ records: Source[] }>(`${base}/data-sources`),
  ]);
  const scored = runs.filter((r) => r.result.scorecard);
  const last = scored[scored.length - 1];
  const services = [...new Set(scored.map((r) => r.service))];
  const charts = services.map((service) => {
    const points = scored
      .filter((r) => r.service === service)
      .map((r) => ({ x: Date.parse(r.created_at), y: r.result.scorecard!.score }));
    return h(
      'figure',
      {},
      h('figcaption', {}, `${service}: score over time`),
      lineChart(points, { id: `history-${service}`, xLabel: day, yLabel: (y) => y.toFixed(0) }),
    );
  });
  const card = last?.result.scorecard;
  return h(
    'section',
    { 'data-testid': 'subject' },
    h('h2', {}, `Subject ${s.partner_id}`),
    h(
      'p',
      {},
      `${s.id} · since ${when(s.created_at)} · `,
      s.identifiers.map((i) => `${i.kind} ${i.masked}`).join(', ') || 'no identifiers',
    ),
    h('h3', {}, 'Score history'),
    charts.length ? h('div', { 'data-testid': 'history' }, ...charts) : h('p', {}, 'Never scored.'),
    last && card
      ? h(
          'div',
          { 'data-testid': 'last-result' },
          h('h3', {}, 'Last result'),
          h(
            'p',
            {},
            `${last.service} via ${last.dialect} on ${when(last.created_at)}: score ${card.score} of ${card.maxScore}, ` +
              `grade ${card.grade ?? '-'}, PD ${(card.pd * 100).toFixed(1)}%, model version ${last.model_version ?? '-'}`,
          ),
          table(
            ['Reason code', 'Description', 'Characteristic', 'Points short'],
            card.reasons,
            (r) => [r.code, r.description, r.characteristic, r.shortfall.toFixed(1)],
            'reasons',
          ),
        )
      : null,
    h('h3', {}, 'Data sources'),
    records.length
      ? table(
          ['Kind', 'Source', 'Received'],
          records,
          (r) => [r.kind, r.source, when(r.created_at)],
          'sources',
        )
      : h('p', { 'data-testid': 'sources' }, 'No data records beyond the scoring requests.'),
  );
}

export async function subjectsPage(ctx: PageContext): Promise<Node> {
  if (!ctx.tenant) return noTenant();
  const tenant = ctx.tenant;
  const result = h('div', {});
  const form = submitting(
    h(
      'form',
      { 'data-testid': 'find-subject' },
      h(
        'label',
        {},
        'Find by',
        h(
          'select',
          { name: 'by' },
          h('option', { value: 'partner_id' }, 'partner id'),
          h('option', { value: 'phone' }, 'phone (E.164)'),
        ),
      ),
      h('label', {}, 'Value', h('input', { name: 'value', required: true })),
      h('button', { type: 'submit' }, 'Find'),
    ),
    async (f) => {
      const v = formValues(f);
      result.replaceChildren(h('p', {}, 'Searching…'));
      try {
        const q = new URLSearchParams({ [v.by ?? 'partner_id']: v.value ?? '' });
        const s = await api<Subject>(tenantPath(tenant, `/subjects?${q}`));
        result.replaceChildren(await subjectView(tenant, s));
      } catch (err) {
        result.replaceChildren();
        throw err;
      }
    },
  );
  return h('div', {}, form, result);
}
