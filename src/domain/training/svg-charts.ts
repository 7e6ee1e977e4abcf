/**
 * Small SVG charts for the validation report: line charts (ROC, KS, calibration) and bar charts
 * (score distribution, PSI). Plain SVG text with axes, ticks, grid lines and a legend, so the
 * page needs no script and renders the same everywhere.
 */

export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
  color: string;
  dashed?: boolean;
  /** Draw a dot at each point (few points, as in a calibration chart). */
  markers?: boolean;
}

/** Where the legend sits: in a corner the data leaves empty. */
export type LegendCorner = 'top-left' | 'top-right' | 'bottom-right';

export interface Axis {
  label: string;
  min: number;
  max: number;
  /** Tick labels: a share (0.1 -> 10 %) or a plain number. */
  format?: 'percent' | 'number';
}

const W = 520;
const H = 340;
const M = { top: 20, right: 20, bottom: 52, left: 64 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function ticks(min: number, max: number, count = 5): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= count) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    out.push(Math.round(v / step) * step);
  return out;
}

function label(v: number, format: Axis['format']): string {
  if (format === 'percent') return `${Math.round(v * 1000) / 10} %`;
  return Math.abs(v) >= 1000 || Number.isInteger(v)
    ? String(Math.round(v))
    : String(Math.round(v * 100) / 100);
}

function frame(
  id: string,
  title: string,
  x: Axis,
  y: Axis,
  body: string,
  legend: Series[],
  corner: LegendCorner,
  xTicks = true,
): string {
  const sx = (v: number) => M.left + ((v - x.min) / (x.max - x.min || 1)) * PW;
  const sy = (v: number) => M.top + PH - ((v - y.min) / (y.max - y.min || 1)) * PH;
  const parts: string[] = [];
  for (const t of ticks(y.min, y.max)) {
    parts.push(
      `<line class="grid" x1="${M.left}" x2="${M.left + PW}" y1="${f(sy(t))}" y2="${f(sy(t))}"/>`,
      `<text class="tick" x="${M.left - 6}" y="${f(sy(t) + 4)}" text-anchor="end">${label(t, y.format)}</text>`,
    );
  }
  for (const t of xTicks ? ticks(x.min, x.max) : []) {
    parts.push(
      `<line class="grid" x1="${f(sx(t))}" x2="${f(sx(t))}" y1="${M.top}" y2="${M.top + PH}"/>`,
      `<text class="tick" x="${f(sx(t))}" y="${M.top + PH + 16}" text-anchor="middle">${label(t, x.format)}</text>`,
    );
  }
  parts.push(
    `<rect class="axis" x="${M.left}" y="${M.top}" width="${PW}" height="${PH}"/>`,
    `<text class="axis-label" x="${M.left + PW / 2}" y="${H - 10}" text-anchor="middle">${escapeHtml(x.label)}</text>`,
    `<text class="axis-label" transform="translate(16 ${M.top + PH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(y.label)}</text>`,
  );
  const boxW = Math.max(...legend.map((s) => s.name.length), 4) * 7 + 36;
  const boxH = legend.length * 16 + 6;
  const bx = corner === 'top-left' ? M.left + 4 : M.left + PW - boxW - 4;
  const by = corner === 'bottom-right' ? M.top + PH - boxH - 4 : M.top + 4;
  const legendItems = legend.map((s, i) => {
    const lx = bx + 6;
    const ly = by + 14 + i * 16;
    return (
      `<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="3"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>` +
      `<text class="legend" x="${lx + 24}" y="${ly}">${escapeHtml(s.name)}</text>`
    );
  });
  return (
    `<svg id="${id}" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${id}-title" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${escapeHtml(title)}</title>${parts.join('')}${body}` +
    `<rect class="legend-box" x="${bx}" y="${by}" width="${boxW}" height="${boxH}"/>` +
    `${legendItems.join('')}</svg>`
  );
}

/** A line chart; points outside the axes' range are clamped to the frame. */
export function lineChart(
  id: string,
  title: string,
  x: Axis,
  y: Axis,
  series: readonly Series[],
  corner: LegendCorner = 'top-right',
): string {
  const sx = (v: number) => M.left + ((clamp(v, x.min, x.max) - x.min) / (x.max - x.min || 1)) * PW;
  const sy = (v: number) => M.top + PH - ((clamp(v, y.min, y.max) - y.min) / (y.max - y.min || 1)) * PH;
  const body = series
    .map((s) => {
      const d = s.points.map(([a, b], i) => `${i === 0 ? 'M' : 'L'}${f(sx(a))} ${f(sy(b))}`).join('');
      const dots = s.markers
        ? s.points
            .map(([a, b]) => `<circle cx="${f(sx(a))}" cy="${f(sy(b))}" r="3.5" fill="${s.color}"/>`)
            .join('')
        : '';
      return `<path class="series" data-series="${escapeHtml(s.name)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>${dots}`;
    })
    .join('');
  return frame(id, title, x, y, body, [...series], corner);
}

/** Bars side by side per category: one group per label, one bar per series. */
export function barChart(
  id: string,
  title: string,
  labels: readonly string[],
  y: Axis,
  series: readonly { name: string; values: readonly number[]; color: string }[],
  xLabel: string,
  corner: LegendCorner = 'top-right',
): string {
  const groups = labels.length;
  const gw = PW / Math.max(groups, 1);
  const bw = (gw * 0.8) / Math.max(series.length, 1);
  const sy = (v: number) => M.top + PH - ((clamp(v, y.min, y.max) - y.min) / (y.max - y.min || 1)) * PH;
  const bars: string[] = [];
  series.forEach((s, k) => {
    s.values.forEach((v, i) => {
      const x = M.left + i * gw + gw * 0.1 + k * bw;
      const top = sy(v);
      bars.push(
        `<rect class="bar" data-series="${escapeHtml(s.name)}" x="${f(x)}" y="${f(top)}" width="${f(Math.max(bw - 1, 1))}" height="${f(M.top + PH - top)}" fill="${s.color}"><title>${escapeHtml(`${s.name}, ${labels[i]}: ${label(v, y.format)}`)}</title></rect>`,
      );
    });
  });
  // Category labels under the groups, thinned so they do not overlap.
  const every = Math.ceil(groups / 12);
  labels.forEach((l, i) => {
    if (i % every !== 0) return;
    bars.push(
      `<text class="tick" x="${f(M.left + i * gw + gw / 2)}" y="${M.top + PH + 16}" text-anchor="middle">${escapeHtml(l)}</text>`,
    );
  });
  const legend = series.map((s) => ({ name: s.name, points: [], color: s.color }));
  // The categories label the x axis, so the frame draws no numeric ticks there.
  return frame(id, title, { label: xLabel, min: 0, max: 1 }, y, bars.join(''), legend, corner, false);
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function f(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}
