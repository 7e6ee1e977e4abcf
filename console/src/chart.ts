/** Inline SVG line charts: score history over time, and ROC curves. */
const NS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export interface ChartOptions {
  id: string;
  xLabel: (x: number) => string;
  yLabel: (y: number) => string;
  /** Fixed axis ranges; default: the data's own. */
  x?: [number, number];
  y?: [number, number];
  diagonal?: boolean;
}

const W = 640;
const H = 260;
const PAD = { left: 56, right: 16, top: 12, bottom: 36 };

export function lineChart(points: { x: number; y: number }[], o: ChartOptions): SVGSVGElement {
  const root = svg('svg', { id: o.id, viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img' });
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  let [x0, x1] = o.x ?? [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = o.y ?? [Math.min(...ys), Math.max(...ys)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const px = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const py = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  root.append(
    svg('rect', {
      class: 'frame',
      x: PAD.left,
      y: PAD.top,
      width: W - PAD.left - PAD.right,
      height: H - PAD.top - PAD.bottom,
    }),
  );
  for (const t of [0, 0.5, 1]) {
    const yv = y0 + t * (y1 - y0);
    const label = svg('text', { x: PAD.left - 6, y: py(yv) + 4, 'text-anchor': 'end' });
    label.textContent = o.yLabel(yv);
    const xv = x0 + t * (x1 - x0);
    const xl = svg('text', {
      x: px(xv),
      y: H - 12,
      'text-anchor': t === 0 ? 'start' : t === 1 ? 'end' : 'middle',
    });
    xl.textContent = o.xLabel(xv);
    root.append(label, xl);
  }
  if (o.diagonal)
    root.append(svg('line', { class: 'diagonal', x1: px(x0), y1: py(y0), x2: px(x1), y2: py(y1) }));
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
  root.append(svg('path', { class: 'series', d }));
  for (const p of points) root.append(svg('circle', { class: 'point', cx: px(p.x), cy: py(p.y), r: 3 }));
  return root;
}
