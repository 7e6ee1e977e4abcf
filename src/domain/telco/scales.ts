/**
 * The two CAMARA Customer Insights scales, reached from a probability of default (PD).
 *
 * gaugeMetric runs 300-850, higher is lower risk, in five grades; veritasIndex runs 0-19, lower is
 * lower risk, two values in each of ten grades (customer-insights 0.3.0-rc.1, "Relevant
 * Definitions"). Which PD falls in which grade is our calibration: the upper PD of each grade
 * below, shared by both scales, so a BBB or better is "Exceptional". Inside a grade the value
 * moves with ln(PD), so a lower PD never gives a worse value (test: scales.test.ts).
 */

export const SCALES = ['gaugeMetric', 'veritasIndex'] as const;
export type Scale = (typeof SCALES)[number];

/** veritasIndex grades, best first, with the highest PD each holds. */
export const VERITAS_GRADES = [
  { grade: 'AAA', maxPd: 0.001 },
  { grade: 'AA', maxPd: 0.0025 },
  { grade: 'A', maxPd: 0.005 },
  { grade: 'BBB', maxPd: 0.01 },
  { grade: 'BB', maxPd: 0.025 },
  { grade: 'B', maxPd: 0.06 },
  { grade: 'CCC', maxPd: 0.15 },
  { grade: 'CC', maxPd: 0.3 },
  { grade: 'C', maxPd: 0.5 },
  { grade: 'DDD', maxPd: 1 },
] as const;

/** gaugeMetric grades, best first: the value range of each and the PD range mapped onto it. */
export const GAUGE_GRADES = [
  { grade: 'Exceptional', min: 800, max: 850, minPd: 0.0001, maxPd: 0.01 },
  { grade: 'Very Good', min: 740, max: 799, minPd: 0.01, maxPd: 0.025 },
  { grade: 'Good', min: 670, max: 739, minPd: 0.025, maxPd: 0.06 },
  { grade: 'Fair', min: 580, max: 669, minPd: 0.06, maxPd: 0.15 },
  { grade: 'Poor', min: 300, max: 579, minPd: 0.15, maxPd: 0.9999 },
] as const;

const clampPd = (pd: number) => Math.min(0.9999, Math.max(0.0001, Number.isFinite(pd) ? pd : 0.9999));

/**
 * 300-850: inside its grade, the value falls linearly with ln(PD) from the grade's top to its
 * bottom. A grade holds the PDs above its `minPd` up to its `maxPd` (the PD at `minPd` is the better
 * grade's); that range, in ln(PD), is cut into as many equal parts as the grade has values, the
 * first part giving the top value and the last the bottom one.
 */
export function gaugeMetric(pd: number): number {
  const p = clampPd(pd);
  const g = GAUGE_GRADES.find((x) => p <= x.maxPd) ?? GAUGE_GRADES[GAUGE_GRADES.length - 1]!;
  const at = (Math.log(p) - Math.log(g.minPd)) / (Math.log(g.maxPd) - Math.log(g.minPd));
  return Math.min(g.max, Math.max(g.min, g.max + 1 - Math.ceil(at * (g.max - g.min + 1))));
}

/** 0-19: the grade's first value for the lower half of its PD range (in ln PD), its second above. */
export function veritasIndex(pd: number): number {
  const p = clampPd(pd);
  const i = VERITAS_GRADES.findIndex((x) => p <= x.maxPd);
  const grade = i < 0 ? VERITAS_GRADES.length - 1 : i;
  const low = grade === 0 ? 0.0001 : VERITAS_GRADES[grade - 1]!.maxPd;
  const high = VERITAS_GRADES[grade]!.maxPd;
  const mid = Math.exp((Math.log(low) + Math.log(high)) / 2);
  return grade * 2 + (p > mid ? 1 : 0);
}

export function scaleValue(scale: Scale, pd: number): number {
  return scale === 'gaugeMetric' ? gaugeMetric(pd) : veritasIndex(pd);
}

export function veritasGrade(value: number): string {
  return VERITAS_GRADES[Math.min(VERITAS_GRADES.length - 1, Math.floor(value / 2))]!.grade;
}

export function gaugeGrade(value: number): string {
  return GAUGE_GRADES.find((g) => value >= g.min)?.grade ?? 'Poor';
}
