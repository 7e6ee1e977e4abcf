/**
 * The validation report as one self-contained HTML page: styles inline, plots as inline SVG, no
 * script and nothing fetched, so it opens from a file, an e-mail or docs/ alike.
 */
import type { ValidationReport } from './report.js';
import { interval } from './report.js';
import { barChart, escapeHtml as h, lineChart } from './svg-charts.js';

const BLUE = '#1f5fa8';
const RED = '#c0392b';
const GREY = '#8a8f98';
const GREEN = '#2e8b57';

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232b;max-width:1120px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:1px solid #dde1e6;padding-bottom:4px}
h3{font-size:16px;margin:20px 0 6px}p.lead{color:#4b5561;margin:0 0 16px}
table{border-collapse:collapse;margin:8px 0 16px;font-variant-numeric:tabular-nums}
th,td{border:1px solid #dde1e6;padding:4px 10px;text-align:right}th{background:#f3f5f8}
td:first-child,th:first-child,td.text,th.text{text-align:left}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #dde1e6;border-radius:6px;padding:10px 16px;min-width:150px}
.card b{display:block;font-size:24px}.charts{display:flex;flex-wrap:wrap;gap:24px}
figure{margin:0}figcaption{color:#4b5561;font-size:13px;max-width:520px}
svg.chart{background:#fff}svg .grid{stroke:#eceff3}svg .axis{fill:none;stroke:#555}
svg .tick{font-size:11px;fill:#4b5561}svg .axis-label{font-size:13px;fill:#1d232b}
svg .legend{font-size:12px;fill:#1d232b}svg .legend-box{fill:#fff;fill-opacity:.9;stroke:#ccd}
.selected{color:${GREEN};font-weight:600}.dropped{color:${GREY}}.kept{color:#9a6700;font-weight:600}
.verdict-stable{color:${GREEN}}.verdict-watch{color:#9a6700}.verdict-shift{color:${RED}}`;

export function renderReportHtml(r: ValidationReport): string {
  const t = r.samples.test;
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(`Validation report: ${r.model.name}`)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${h(r.model.name)}</h1>`,
    `<p class="lead">Validation report of a <code>${h(r.model.service)}</code> scorecard: ${r.model.characteristics} characteristics, scores from ${r.model.minScore} to ${r.model.maxScore}. ${h(splitText(r))}</p>`,
  );

  out.push('<section id="summary"><h2>Summary</h2><div class="cards">');
  out.push(card(`AUC, ${r.testLabel}`, f3(t.auc)), card('Gini', f3(t.gini)), card('KS', f3(t.ks)));
  if (r.cv)
    out.push(card(`mean AUC over ${r.folds.length} folds`, `${f3(r.cv.meanAuc)} ± ${f3(r.cv.sdAuc)}`));
  out.push(
    card(
      'PSI train → test',
      `<span class="verdict-${r.psi.verdict}">${f3(r.psi.total)} ${r.psi.verdict}</span>`,
    ),
  );
  out.push('</div>');
  out.push(
    table(
      ['sample', 'rows', 'bads', 'bad rate', 'AUC', 'Gini', 'KS'],
      [
        ['training', r.samples.train] as const,
        ...(r.samples.validation ? [['validation', r.samples.validation] as const] : []),
        [r.testLabel, t] as const,
      ].map(([name, s]) => [name, int(s.rows), int(s.bads), pct(s.badRate), f3(s.auc), f3(s.gini), f3(s.ks)]),
      'samples',
    ),
  );
  if (r.folds.length) {
    out.push(
      '<h3>Cross-validation folds</h3>',
      table(
        ['fold', 'rows', 'AUC', 'Gini', 'KS'],
        r.folds.map((f) => [String(f.fold), int(f.rows), f3(f.auc), f3(f.gini), f3(f.ks)]),
        'folds',
      ),
    );
  }
  out.push('</section>');

  out.push('<section id="plots"><h2>Discrimination</h2><div class="charts">');
  const rocSeries = [
    {
      name: `${r.testLabel} (AUC ${f3(t.auc)})`,
      points: r.roc.test.map((p) => [p.fpr, p.tpr] as const),
      color: BLUE,
    },
    {
      name: `training (AUC ${f3(r.samples.train.auc)})`,
      points: r.roc.train.map((p) => [p.fpr, p.tpr] as const),
      color: GREY,
      dashed: true,
    },
    { name: 'no discrimination', points: [[0, 0] as const, [1, 1] as const], color: '#bbb', dashed: true },
  ];
  out.push(
    figure(
      lineChart(
        'roc-chart',
        'ROC curve',
        { label: 'share of goods refused (false positive rate)', min: 0, max: 1, format: 'percent' },
        { label: 'share of bads refused (true positive rate)', min: 0, max: 1, format: 'percent' },
        rocSeries,
        'bottom-right',
      ),
      'ROC curve: refusing every applicant at or below a cut-off score, from the lowest up. The further above the diagonal, the better the card separates bads from goods.',
    ),
  );
  const ksX = r.ks.points.map((p) => p.score);
  out.push(
    figure(
      lineChart(
        'ks-chart',
        'KS plot',
        { label: 'score', min: Math.min(...ksX), max: Math.max(...ksX) },
        { label: 'cumulative share, at or below the score', min: 0, max: 1, format: 'percent' },
        [
          { name: 'bads', points: r.ks.points.map((p) => [p.score, p.bads] as const), color: RED },
          { name: 'goods', points: r.ks.points.map((p) => [p.score, p.goods] as const), color: BLUE },
          {
            name: `KS ${f3(r.ks.ks)} at ${r.ks.score}`,
            points: [[r.ks.score, r.ks.at.goods] as const, [r.ks.score, r.ks.at.bads] as const],
            color: '#333',
            dashed: true,
          },
        ],
        'bottom-right',
      ),
      `KS plot (${r.testLabel}): the cumulative share of bads and of goods scoring at most each score. The largest gap, the KS statistic, is ${f3(r.ks.ks)} at a score of ${r.ks.score}.`,
    ),
  );
  const hist = r.histogram;
  const totalGoods = hist.goods.reduce((a, b) => a + b, 0) || 1;
  const totalBads = hist.bads.reduce((a, b) => a + b, 0) || 1;
  const goodShares = hist.goods.map((g) => g / totalGoods);
  const badShares = hist.bads.map((b) => b / totalBads);
  out.push(
    figure(
      barChart(
        'distribution-chart',
        'Score distribution of goods and bads',
        hist.goods.map((_, i) => String(hist.from + i * hist.width)),
        {
          label: 'share of the class',
          min: 0,
          max: niceMax(Math.max(...goodShares, ...badShares)),
          format: 'percent',
        },
        [
          { name: 'bads', values: badShares, color: RED },
          { name: 'goods', values: goodShares, color: BLUE },
        ],
        `score (intervals of ${hist.width} points, from the label up)`,
      ),
      `Score distribution (${r.testLabel}): the share of goods and of bads in each score interval. The less the two overlap, the better.`,
    ),
  );
  out.push('</div></section>');

  out.push('<section id="gains"><h2>Gains by score band</h2>');
  out.push(
    `<p>Bands cut at the deciles of the training scores (a score is never split); figures of the ${h(r.testLabel)} sample, riskiest band first. Refusing a band and every band above it in the table refuses the cumulative share of applicants and catches the cumulative share of bads.</p>`,
  );
  out.push(
    table(
      ['score band', 'rows', 'bads', 'bad rate', 'cumulative rows', 'cumulative bads', 'lift'],
      r.gains.map((g) => [
        interval(g.min, g.max),
        int(g.rows),
        int(g.bads),
        pct(g.badRate),
        pct(g.cumulativeRows),
        pct(g.cumulativeBads),
        f2(g.lift),
      ]),
      'gains-table',
    ),
  );
  out.push('</section>');

  out.push('<section id="calibration"><h2>Calibration</h2><div class="charts">');
  out.push(
    `<div>${table(
      ['score band', 'rows', 'predicted PD', 'observed bad rate', 'difference'],
      r.gains.map((g) => [
        interval(g.min, g.max),
        int(g.rows),
        pct(g.predictedPd),
        pct(g.badRate),
        signedPct(g.badRate - g.predictedPd),
      ]),
      'calibration-table',
    )}<p>The predicted PD is the mean PD the scorecard gives the band's rows (from the score and the scaling); a calibrated card predicts what is observed.</p></div>`,
  );
  const calMax = niceMax(Math.max(...r.gains.map((g) => Math.max(g.predictedPd, g.badRate))));
  out.push(
    figure(
      lineChart(
        'calibration-chart',
        'Calibration: predicted PD against observed bad rate',
        { label: 'predicted PD (band mean)', min: 0, max: calMax, format: 'percent' },
        { label: 'observed bad rate', min: 0, max: calMax, format: 'percent' },
        [
          {
            name: 'score bands',
            points: r.gains.filter((g) => g.rows > 0).map((g) => [g.predictedPd, g.badRate] as const),
            color: BLUE,
            markers: true,
          },
          {
            name: 'perfect calibration',
            points: [[0, 0] as const, [calMax, calMax] as const],
            color: '#bbb',
            dashed: true,
          },
        ],
        'top-left',
      ),
      'Each dot is a score band: predicted PD across, observed bad rate up. Dots on the diagonal are calibrated.',
    ),
  );
  out.push('</div></section>');

  out.push('<section id="stability"><h2>Population stability</h2><div class="charts">');
  out.push(
    `<div><p>PSI between the training scores and the ${h(r.testLabel)} scores: <b class="verdict-${r.psi.verdict}">${f3(r.psi.total)} (${r.psi.verdict})</b>. Below 0.10 the populations match (stable); 0.10 to 0.25 deserves a look (watch); above 0.25 the population has shifted.</p>${table(
      ['score band', 'training share', 'test share', 'PSI'],
      r.psi.bands.map((b) => [interval(b.min, b.max), pct(b.expected), pct(b.actual), f4(b.psi)]),
      'psi-table',
    )}</div>`,
  );
  out.push(
    figure(
      barChart(
        'psi-chart',
        'Share of applicants by score band, training and test',
        r.psi.bands.map((b) => (b.min === undefined ? `< ${b.max}` : `${b.min}+`)),
        {
          label: 'share of applicants',
          min: 0,
          max: niceMax(Math.max(...r.psi.bands.flatMap((b) => [b.expected, b.actual]))),
          format: 'percent',
        },
        [
          { name: 'training', values: r.psi.bands.map((b) => b.expected), color: GREY },
          { name: r.testLabel, values: r.psi.bands.map((b) => b.actual), color: BLUE },
        ],
        'score band (from the label up to the next)',
      ),
      'The share of applicants in each score band, in training and in the test sample.',
    ),
  );
  out.push('</div></section>');

  out.push('<section id="variables"><h2>Characteristics</h2>');
  out.push(
    '<p>Information value (IV) on the training rows: below 0.02 unpredictive, 0.02 to 0.1 weak, 0.1 to 0.3 medium, above 0.3 strong (Siddiqi). Each characteristic shows why it was selected or dropped.</p>',
  );
  out.push(
    table(
      ['characteristic', 'type', 'IV', 'trend', 'coefficient', 'result'],
      r.variables.map((v) => [
        v.name,
        v.type,
        f4(v.iv),
        v.trend ?? 'by bad rate',
        v.coefficient === null ? '-' : f4(v.coefficient),
        `<span class="${v.status}">${v.status}</span>${v.note ? `: ${h(v.note)}` : ''}`,
      ]),
      'iv-table',
      true,
    ),
  );
  const skipped = (r.data.skipped ?? []) as { name: string; reason: string }[];
  if (skipped.length > 0) {
    out.push('<p>Left out before binning:</p><ul id="skipped">');
    for (const c of skipped) out.push(`<li>${h(c.name)}: ${h(c.reason)}</li>`);
    out.push('</ul>');
  }
  for (const v of r.variables) {
    out.push(`<h3 id="var-${h(v.name)}">${h(v.name)} <span class="${v.status}">(${v.status})</span></h3>`);
    out.push(
      table(
        ['bin', 'rows', 'goods', 'bads', 'bad rate', 'WoE', 'points'],
        v.bins.map((b) => [
          b.label,
          int(b.count),
          int(b.goods),
          int(b.bads),
          pct(b.badRate),
          f3(b.woe),
          b.points === null ? '-' : String(b.points),
        ]),
        null,
      ),
    );
  }
  out.push('</section>');
  out.push('</body></html>', '');
  return out.join('\n');
}

function splitText(r: ValidationReport): string {
  const s = r.split;
  if (s.kind === 'kfold') {
    return `Stratified ${s.folds}-fold cross-validation with seed ${s.seed}: each row is scored by the fold model that did not see it; the card itself is fitted on every row.`;
  }
  const v = s.validationShare ?? 0;
  return `Stratified split with seed ${s.seed}: ${pct(1 - s.testShare - v)} training${v ? `, ${pct(v)} validation` : ''}, ${pct(s.testShare)} held out for testing.`;
}

function card(title: string, value: string): string {
  return `<div class="card">${h(title)}<b>${value}</b></div>`;
}

function figure(svg: string, caption: string): string {
  return `<figure>${svg}<figcaption>${h(caption)}</figcaption></figure>`;
}

/** A table; cells are escaped unless `raw` (cells built from escaped parts). */
function table(head: string[], rows: string[][], id: string | null, raw = false): string {
  const cell = (c: string) => (raw ? c : h(c));
  return (
    `<table${id ? ` id="${id}"` : ''}><thead><tr>${head
      .map((c, i) => `<th${rows[0] && !NUMBER.test(rows[0][i] ?? '') ? ' class="text"' : ''}>${h(c)}</th>`)
      .join('')}</tr></thead><tbody>` +
    rows
      .map(
        (r) =>
          `<tr>${r.map((c, i) => `<td${NUMBER.test(c) ? '' : ' class="text"'}>${i === 0 ? h(c) : cell(c)}</td>`).join('')}</tr>`,
      )
      .join('') +
    '</tbody></table>'
  );
}

/** Figures are right-aligned; words read from the left. */
const NUMBER = /^([-+]?[\d,.]+( %)?|-|[-+]?[\d.]+ ± [\d.]+)$/;

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const mag = 10 ** Math.floor(Math.log10(v));
  return Math.min(1, Math.ceil((v * 1.1) / mag) * mag);
}

const fixed = (x: number, d: number) => {
  const s = x.toFixed(d);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
};
const f2 = (x: number) => fixed(x, 2);
const f3 = (x: number) => fixed(x, 3);
const f4 = (x: number) => fixed(x, 4);
const pct = (x: number) => `${fixed(x * 100, 1)} %`;
const signedPct = (x: number) => `${x > 0 ? '+' : ''}${pct(x)}`;
const int = (x: number) => x.toLocaleString('en-US');
