import { api, tenantPath } from '../api.js';
import { lineChart } from '../chart.js';
import { h, table } from '../dom.js';
import type { PageContext } from '../main.js';
import { noTenant } from './forms.js';

interface Model {
  id: string;
  service: string;
  version: number;
  name: string;
  source: string;
  roles: string[];
}
interface Performance {
  subjects: number;
  goods: number;
  bads: number;
  unlabelled: number;
  runs: { champion: number; challenger: number };
  discrimination: { auc: number; gini: number; ks: number } | null;
  roc: { fpr: number; tpr: number }[];
  bands: { min: number | null; max: number | null; rows: number; bads: number; bad_rate: number | null }[];
  stability: {
    recent_days: number;
    scores: number;
    psi: { total: number; verdict: string } | null;
    note: string | null;
  };
}

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
const range = (b: { min: number | null; max: number | null }) => `${b.min ?? '…'} – ${b.max ?? '…'}`;

function performanceView(m: Model, p: Performance): Node {
  const d = p.discrimination;
  return h(
    'section',
    { 'data-testid': `performance-${m.id}` },
    h('h2', {}, `${m.name} v${m.version} (${m.service})`),
    h(
      'p',
      {},
      `${p.runs.champion} runs as champion, ${p.runs.challenger} in shadow; ${p.subjects} subjects: ` +
        `${p.goods} good, ${p.bads} bad, ${p.unlabelled} without an outcome yet.`,
    ),
    table(
      ['AUC (ROC)', 'Gini', 'KS', `PSI (last ${p.stability.recent_days} days)`],
      [p],
      () => [
        d ? d.auc.toFixed(3) : '-',
        d ? d.gini.toFixed(3) : '-',
        d ? d.ks.toFixed(3) : '-',
        p.stability.psi
          ? `${p.stability.psi.total.toFixed(3)} (${p.stability.psi.verdict})`
          : (p.stability.note ?? '-'),
      ],
      'metrics',
    ),
    p.roc.length
      ? h(
          'figure',
          {},
          h('figcaption', {}, 'ROC: share of bads refused against share of goods refused'),
          lineChart(
            p.roc.map((r) => ({ x: r.fpr, y: r.tpr })),
            { id: `roc-${m.id}`, x: [0, 1], y: [0, 1], diagonal: true, xLabel: pct, yLabel: pct },
          ),
        )
      : h('p', {}, 'No ROC curve until both good and bad outcomes are observed.'),
    h('h3', {}, 'Bad rate by score band'),
    table(['Score band', 'Subjects', 'Bads', 'Bad rate'], p.bands, (b) => [
      range(b),
      b.rows,
      b.bads,
      pct(b.bad_rate),
    ]),
  );
}

export async function modelsPage(ctx: PageContext): Promise<Node> {
  if (!ctx.tenant) return noTenant();
  const tenant = ctx.tenant;
  const { models } = await api<{ models: Model[] }>(tenantPath(tenant, '/models'));
  const detail = h('div', {});
  const show = async (m: Model) => {
    const p = await api<Performance>(tenantPath(tenant, `/models/${encodeURIComponent(m.id)}/performance`));
    detail.replaceChildren(performanceView(m, p));
  };
  const active = models.filter((m) => m.roles.length > 0);
  const out = h(
    'div',
    {},
    table(
      ['Service', 'Name', 'Version', 'Source', 'Role', ''],
      models,
      (m) => [
        m.service,
        m.name,
        m.version,
        m.source,
        m.roles.join(', '),
        h(
          'button',
          { onclick: () => void show(m).catch((e: Error) => detail.replaceChildren(e.message)) },
          'Performance',
        ),
      ],
      'models',
    ),
    detail,
  );
  if (active[0]) await show(active[0]);
  return out;
}
