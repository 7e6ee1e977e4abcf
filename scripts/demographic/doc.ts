/** Renders docs/models/demographic-score.md from a fit: every number in it is computed. */
import type { Characteristic } from '../../src/domain/scoring/model-format.js';
import { type BinningOptions, DEFAULT_BINNING_OPTIONS } from '../../src/domain/training/bins.js';
import type { Discrimination } from '../../src/domain/training/metrics.js';
import { DEFAULT_SELECTION_OPTIONS, waldPValue as waldP } from '../../src/domain/training/selection.js';
import type { FitResult } from './fit.js';
import {
  BINNING,
  DATA,
  EXPERT,
  EXPERT_RATIONALE,
  HOME,
  JOB,
  KEEP,
  MARITAL,
  MODEL,
  REPORT,
  SCALING,
  SEED,
  SYNONYMS,
  TRAIN_SHARE,
} from './inputs.js';

/** Why a dropped characteristic's information is already in the card, with the overlap measured. */
function dropNote(name: string, o: FitResult['overlap']): string {
  switch (name) {
    case 'age':
      return (
        '`age` overlaps with `years_at_job`: older applicants have longer tenure (correlation ' +
        `${f3(o.ageTenure)}).`
      );
    case 'marital_status':
      return (
        '`marital_status` overlaps with `residence_type`: ' +
        `${pct(o.ownersMarried)} of married applicants own their home against ${pct(o.ownersOther)} of the others.`
      );
    case 'debt_to_income':
      return (
        '`debt_to_income` separates little once income is known (most applicants have no debt); most of its ' +
        'IV is the missing income it shares with the other ratios.'
      );
    case 'assets_to_income':
      return (
        '`assets_to_income` overlaps with `residence_type` and shares its missing bin with ' +
        `\`expense_to_income\`: ${pct(o.assetsOwners)} of home owners declare assets against ` +
        `${pct(o.assetsOthers)} of the others.`
      );
    default:
      return '';
  }
}

const DROP_REASON: Readonly<Record<string, string>> = {
  no_information: 'dropped: one bin and no missing bin',
  low_iv: `dropped: IV below ${DEFAULT_SELECTION_OPTIONS.minIv}`,
  correlated: `dropped: WoE correlates above ${DEFAULT_SELECTION_OPTIONS.maxCorrelation} with a stronger one`,
  wrong_sign: 'dropped: wrong sign next to the others',
  not_significant: `dropped: p > ${DEFAULT_SELECTION_OPTIONS.maxPValue} next to the others`,
};

export function renderDoc(r: FitResult): string {
  const m = r.model;
  const t = r.card.test;
  const b = binning();
  const sel = DEFAULT_SELECTION_OPTIONS;
  const selected = new Map(r.selection.model.variables.map((v) => [v.name, v]));
  const dropped = new Map(r.selection.dropped.map((d) => [d.name, d]));
  const out: string[] = [];
  const raw = (...lines: string[]): void => {
    out.push(...lines);
  };
  const para = (text: string): void => raw(...wrap(text), '');
  const metricRow = (label: string, d: Discrimination) =>
    `| ${label} | ${f4(d.auc)} | ${f4(d.gini)} | ${f4(d.ks)} |`;
  const testShare = Math.round((1 - TRAIN_SHARE) * 100);

  raw('# demographic_score: the starter demographic scorecard', '');
  raw(
    '<!-- Written by scripts/fit-demographic-model.ts: change the script and rerun it, not this file. -->',
    '',
  );
  para(
    `\`${MODEL}\` scores an applicant from the attributes a lender sends to the Cladfy \`demographic_score\` ` +
      'API. Its fitted part is a weight-of-evidence (WoE) logistic regression on the public credit_data set, ' +
      'restated as points; four characteristics the data does not hold carry small expert points. Every ' +
      'number below was computed by `npm run fit:demographic`, which fits with the same pipeline as ' +
      '`credence train` (src/domain/training/train.ts) and writes this file, the model and its validation report ' +
      `[${REPORT.split('/').pop()}](${REPORT.split('/').pop()}) (ROC and KS plots, score distribution, gains, ` +
      'calibration and PSI by score band); `npm run fit:demographic -- --check` verifies that all three are what ' +
      'the script produces.',
  );

  raw('## Performance', '');
  para(
    `Measured on the ${r.testRows} held-out rows (${testShare} %, seen by neither the binning nor the ` +
      'regression) and on the training rows, scoring each row through the scoring engine with the rounded points:',
  );
  raw('| | AUC | Gini | KS |', '|---|---|---|---|');
  raw(
    metricRow('**scorecard as shipped, held out**', t),
    metricRow('scorecard as shipped, training', r.card.train),
  );
  raw(metricRow("scorecard with the data's missing bins, held out", r.restated.test));
  raw(metricRow('logistic model before rounding, held out', r.logistic.test));
  raw(metricRow('logistic model before rounding, training', r.logistic.train), '');
  const gap = t.auc - r.card.train.auc;
  para(
    `The held-out AUC has a standard error of about ${f3(r.aucStandardError)} (Hanley & McNeil, 1982)` +
      (Math.abs(gap) < 2 * r.aucStandardError
        ? `, so its difference from the training AUC (${signed(gap)}) is within the noise of the split.`
        : `; its difference from the training AUC is ${signed(gap)}.`) +
      ` Rounding points to integers moves a held-out applicant's PD by at most ${f4(r.maxPdGap)}. The expert ` +
      'characteristics play no part in these figures: the data holds none of their attributes, so every ' +
      'row falls in their neutral missing bins.',
  );

  raw('## Missing attributes', '');
  para(
    `In credit_data a missing income is the applicant declining to state it, and it is telling: those ` +
      `applicants went bad ${pct(r.income.missingBadRate)} of the time, against ${pct(r.income.presentBadRate)} ` +
      'for the rest, so the fitted missing bins of the income ratios cost many points. In this API an ' +
      'attribute is missing far more often because the lender does not collect it (the requests in the ' +
      'Cladfy documentation carry one attribute each), which says nothing about the applicant. The shipped ' +
      'card therefore scores every missing attribute as the average risk (0 points; reported in ' +
      '`missing_attributes`), and the table above gives its discrimination both ways: on credit_data it ' +
      'loses the signal of the declined incomes. A lender whose own data makes absence informative should ' +
      'fit its own card, with fitted missing bins, and import it (`credence model import`).',
  );

  raw('## Data', '');
  para(
    `\`${DATA}\`: ${r.trainRows + r.testRows} loans with outcome \`Status\` good/bad, from the R package ` +
      'modeldata 1.1.0 (`credit_data`, MIT; see data/README.md). An empty cell is missing; a 0 is a real zero.',
  );
  raw('| credit_data column | attribute | mapping |', '|---|---|---|');
  raw('| Age | `age` | years |', '| Seniority | `years_at_job` | years with the current employer |');
  raw(
    `| Marital | \`marital_status\` | ${mapping(MARITAL)} |`,
    `| Home | \`residence_type\` | ${mapping(HOME)} |`,
  );
  raw(`| Job | \`employment_type\` | ${mapping(JOB)} |`);
  raw('| Income | `monthly_net_income` | only as the denominator of the ratios |');
  raw('| Expenses, Debt, Assets | `expenses`, `debt`, `assets` | only as numerators of the ratios |', '');
  para(
    "Money columns are in the data set's own currency units, which mean nothing to a lender in Kenya or " +
      'Nigeria, so no absolute amount is binned. The candidates are unit-free ratios instead, built with the ' +
      "model format's `ratio` source exactly as the engine builds them: `expense_to_income` = expenses / " +
      'monthly_net_income, `debt_to_income` = debt / monthly_net_income and `assets_to_income` = assets / ' +
      'monthly_net_income. A ratio is missing when either side is missing or the income is 0. credit_data ' +
      `has ${r.income.zero} zero incomes and ${r.income.missing} missing ones (see Missing attributes). ` +
      'A negative age, seniority, amount or number of dependants is refused with a 400 naming it (the ' +
      "card's `valid` ranges): in the lowest bin it would have scored as the best ratio or as no dependants.",
  );
  para(
    'Left out: **Records** (adverse credit-bureau records) is bureau data, not an attribute of this API; ' +
      '**Time** (requested term), **Amount** (loan requested) and **Price** (price of the purchase) describe ' +
      'the loan rather than the applicant, and are absolute amounts besides. None of them is an input a ' +
      'lender sends to `demographic_score`.',
  );
  para('Other values a lender may plausibly send, scored in the same bin as the mapped category:');
  for (const [name, map] of Object.entries(SYNONYMS)) {
    for (const [value, extra] of Object.entries(map))
      raw(`- \`${name}\`: ${extra.map(code).join(', ')} as \`${value}\``);
  }
  raw('');
  para(
    'Any other unrecognised category scores like the riskiest known category of its characteristic, so ' +
      'that sending an unknown value never earns more points than sending the true one.',
  );

  raw('## Method', '');
  const steps = [
    `**Split**: stratified by outcome, ${TRAIN_SHARE * 100} % for training (${r.trainRows} rows, bad rate ` +
      `${pct(r.trainBadRate)}) and ${testShare} % held out (${r.testRows} rows, bad rate ${pct(r.testBadRate)}), ` +
      `drawn with mulberry32 seeded with ${SEED} (src/domain/training/random.ts).`,
    '**Binning**, on the training rows only (src/domain/training/binning.ts): numeric values are cut into ' +
      `up to ${b.maxFineBins} quantile classes (a tie is never split), then adjacent classes are merged until ` +
      'the WoE is monotone (in the direction with the higher IV), every bin holds at least ' +
      `${pct(b.minBinShare)} of the rows, ${b.minGoods} goods and ${b.minBads} bads, and there are at most ` +
      `${b.maxBins} bins. Cut points are the roundest numbers that keep the same training rows on each side. ` +
      'Categories are grouped by bad rate, small ones merged with the nearest. Missing values keep a bin of ' +
      'their own; where too few rows are missing to pass the same size rules, that bin is neutral (WoE 0).',
    `**WoE** = ln(share of goods / share of bads), with ${b.smoothing} added to every cell so that no bin's ` +
      'WoE is infinite; IV = sum of (good share - bad share) x WoE (src/domain/training/woe.ts).',
    `**Selection** (src/domain/training/selection.ts): candidates with an IV below ${sel.minIv} are screened ` +
      `out, and of two whose WoE correlates above ${sel.maxCorrelation} the one with less IV; then, refitting ` +
      'after each step, a characteristic whose coefficient comes out positive (which ' +
      'would reverse its own evidence) is dropped, and then the least significant while its Wald p-value ' +
      `exceeds ${sel.maxPValue}. ${KEEP.map(code).join(' and ')} are kept past the IV, correlation and significance ` +
      'screens, because the Cladfy documentation lists them among the demographic attributes a scorecard ' +
      'reads (a request without them reports them as missing); a kept characteristic that comes out with the ' +
      'wrong sign stays in the card with 0 points in every bin.',
    '**Logistic regression** of bad on the WoE features by Newton/IRLS, without penalty ' +
      `(src/domain/training/logistic.ts): intercept ${f4(r.selection.model.intercept)}, ` +
      `${r.selection.model.logistic.converged ? 'converged' : 'NOT converged'} in ` +
      `${r.selection.model.logistic.iterations} iterations.`,
    `**Points** (src/domain/training/points.ts): ${SCALING.baseScore} points at good:bad odds of ` +
      `${SCALING.baseOdds}:1 and ${SCALING.pdo} points to double the odds. With factor = pdo / ln 2 and ` +
      'offset = baseScore - factor x ln(baseOdds), a bin gets -factor x coefficient x WoE points and every ' +
      `applicant starts from offset - factor x intercept = ${m.scaling.basePoints} base points, each rounded ` +
      "to an integer. A bin below its characteristic's best carries the characteristic's reason code.",
  ];
  steps.forEach((text, i) => {
    const [first, ...rest] = wrap(text, 97);
    raw(`${i + 1}. ${first}`, ...rest.map((l) => `   ${l}`));
  });
  raw('');

  raw('## Characteristics considered', '');
  raw('| characteristic | IV (training) | bins | trend | coefficient | p-value | result |');
  raw('|---|---|---|---|---|---|---|');
  for (const c of r.candidates) {
    const s = selected.get(c.name);
    const d = dropped.get(c.name);
    const coefficient = s ? s.coefficient : d?.coefficient;
    const p = s ? waldP(s.coefficient, s.standardError) : d?.pValue;
    const bins = `${c.binning.bins.length}${c.binning.missing ? ' + missing' : ''}`;
    const trend = c.binning.type === 'numeric' ? c.binning.direction : 'by bad rate';
    const kept = KEEP.includes(c.name);
    const result = s
      ? kept
        ? '**kept** (read by the API)'
        : '**selected**'
      : kept && d!.reason === 'wrong_sign'
        ? '**kept with 0 points**: wrong sign next to the others'
        : DROP_REASON[d!.reason];
    raw(
      `| \`${c.name}\` | ${f4(c.binning.iv)} | ${bins} | ${trend} | ${coefficient == null ? '-' : f4(coefficient)} ` +
        `| ${p == null ? '-' : pValue(p)} | ${result} |`,
    );
  }
  raw('');
  para(
    'IV as a rule of thumb (Siddiqi): below 0.02 unpredictive, 0.02 to 0.1 weak, 0.1 to 0.3 medium, above ' +
      '0.3 strong. The p-values are those of the last fit that included the characteristic.',
  );
  if (r.selection.dropped.length > 0) {
    para(
      'A dropped characteristic may be predictive on its own yet add nothing the regression can confirm next ' +
        'to the selected ones, because they already carry its information. ' +
        r.selection.dropped.map((d) => dropNote(d.name, r.overlap)).join(' ') +
        ' Dropped attributes remain valid inputs; the engine reports them as extra attributes. ' +
        (pointlessOf(r).length
          ? `${pointlessOf(r).map(code).join(' and ')} stays in the card with 0 points: the data gives it no ` +
            'effect of its own next to the others, and the card must still read it (a lender sending it ' +
            'sees it counted, not reported as extra).'
          : ''),
    );
  }

  raw('## Fitted characteristics', '');
  para(
    `Base points: ${m.scaling.basePoints}. Rows, shares and bad rates are those of the ${r.trainRows} ` +
      'training rows.',
  );
  for (const v of r.selection.model.variables) {
    const ch = m.characteristics.find((c) => c.name === v.name)!;
    const source =
      ch.type === 'numeric' && ch.ratio
        ? `\`${ch.ratio.numerator}\` / \`${ch.ratio.denominator}\``
        : `\`${ch.attribute ?? ch.name}\``;
    raw(`### \`${v.name}\``, '');
    para(
      `${ch.description ?? ''} Source: ${source}. IV ${f4(v.binning.iv)}, coefficient ${f4(v.coefficient)} ` +
        `(standard error ${f4(v.standardError)}), reason code ${code(reasonOf(ch) ?? '-')}.`,
    );
    raw('| bin | rows | share | bad rate | WoE | points |', '|---|---|---|---|---|---|');
    const row = (label: string, s: { count: number; badRate: number; woe: number }, points: number) =>
      `| ${label} | ${s.count} | ${pct(s.count / r.trainRows)} | ${pct(s.badRate)} | ${f3(s.woe)} | ${points} |`;
    const vb = v.binning;
    if (vb.type === 'numeric' && ch.type === 'numeric') {
      for (const [j, bin] of vb.bins.entries()) raw(row(interval(bin.min, bin.max), bin, ch.bins[j]!.points));
    } else if (vb.type === 'categorical' && ch.type === 'categorical') {
      for (const [j, bin] of vb.bins.entries())
        raw(row(bin.values.map(code).join(', '), bin, ch.bins[j]!.points));
      raw(`| other (unrecognised) | - | - | - | - | ${ch.other?.points ?? ch.missing.points} |`);
    }
    if (!vb.missing) raw(`| missing (none in training) | 0 | - | - | - | ${ch.missing.points} |`);
    else if (vb.missing.neutral) raw(row('missing (too few: neutral)', vb.missing, ch.missing.points));
    else raw(row('missing', vb.missing, ch.missing.points));
    raw('');
  }

  const expertBest = EXPERT.reduce((s, c) => s + Math.max(...pointsOf(c)), 0);
  const expertWorst = EXPERT.reduce((s, c) => s + Math.min(...pointsOf(c)), 0);
  raw('## Expert characteristics', '');
  para(
    'credit_data holds none of these, so their points are set by judgement, not fitted. Each stays within ' +
      `about +-10 points, and together they range from ${signed(expertWorst, 0)} to ${signed(expertBest, 0)} ` +
      `points, about one doubling of the odds (${SCALING.pdo} points) either way, so they cannot outweigh the ` +
      "fitted part. Each is neutral (0 points) when missing, which leaves the fitted model's PD unchanged, " +
      'and an unrecognised value scores like the riskiest listed one. They should be re-fitted, or ' +
      'dropped, once the lender has outcomes for applicants who sent them.',
  );
  for (const c of EXPERT) {
    raw(`### \`${c.name}\``, '');
    para(`${c.description ?? ''} ${EXPERT_RATIONALE[c.name] ?? ''}`);
    raw('| bin | points | reason code |', '|---|---|---|');
    const reason = (rc: string | undefined) => (rc ? code(rc) : '- (best bin)');
    if (c.type === 'numeric') {
      for (const bin of c.bins)
        raw(`| ${bin.label ?? interval(bin.min, bin.max)} | ${bin.points} | ${reason(bin.reasonCode)} |`);
    } else {
      for (const bin of c.bins)
        raw(`| ${bin.values.map(code).join(', ')} | ${bin.points} | ${reason(bin.reasonCode)} |`);
      if (c.other) raw(`| other (unrecognised) | ${c.other.points} | ${reason(c.other.reasonCode)} |`);
    }
    raw(`| missing | ${c.missing.points} | ${reason(c.missing.reasonCode)} |`, '');
  }

  raw('## Reason codes', '');
  para(
    "A bin that costs points against its characteristic's best bin reports its reason code; the " +
      `${m.topReasons ?? 3} largest shortfalls are returned.`,
  );
  raw(
    '| code | description |',
    '|---|---|',
    ...Object.entries(m.reasonCodes).map(([k, d]) => `| ${code(k)} | ${d} |`),
    '',
  );

  raw('## Grades', '');
  const first = r.grades[0];
  para(
    `As in the other starter models: ${r.grades.map((g) => `${g.grade} from ${g.minScore}`).join(', ')}. ` +
      `This card's scores range from ${r.scoreRange.min} to ${r.scoreRange.max}` +
      (first && r.scoreRange.max < first.minScore
        ? `, so no applicant reaches grade ${first.grade}: it needs good:bad odds of at least ${SCALING.baseOdds}:1 ` +
          `(a PD of ${pct(1 / (1 + SCALING.baseOdds))} or less), which a card calibrated on a sample with ` +
          `${pct(r.trainBadRate)} bads gives nobody.`
        : '.') +
      ' Held-out rows by grade:',
  );
  raw('| grade | from score | held-out rows | share | bad rate |', '|---|---|---|---|---|');
  for (const g of r.grades) {
    const rate = g.rows > 0 ? pct(g.bads / g.rows) : '-';
    raw(`| ${g.grade} | ${g.minScore} | ${g.rows} | ${pct(g.rows / r.testRows)} | ${rate} |`);
  }
  raw('');

  raw('## Caveats', '');
  const pointless = KEEP.filter((n) => !selected.has(n));
  const caveats = [
    'credit_data is a consumer-credit sample of unstated origin and period, not a Kenyan or Nigerian ' +
      'population. The ranking it learns is plausible elsewhere; its calibration (the PD behind a score) ' +
      'need not be, so a lender should recalibrate the base points on its own outcomes before reading the PD ' +
      'literally.',
    'Age and marital status are protected or restricted grounds for credit decisions in some jurisdictions. ' +
      `This card reads both; ${
        KEEP.filter((n) => selected.has(n))
          .map(code)
          .join(' and ') || 'neither'
      } ` +
      `carries fitted points${pointless.length ? ` and ${pointless.map(code).join(' and ')} carries none` : ''}. ` +
      'A lender should check its law before scoring on them, and can import a card without them.',
    'A missing attribute scores as the average risk. A lender that sends few attributes gets scores close to ' +
      'the base points: the card ranks applicants only on what it is told.',
    'A missing value scores 0 (the average risk), which can be more than the riskiest known category: a ' +
      'lender should send what it knows.',
  ];
  for (const c of caveats) {
    const [first, ...rest] = wrap(c, 98);
    raw(`- ${first}`, ...rest.map((l) => `  ${l}`));
  }
  raw('');
  return out.join('\n');
}

function pointlessOf(r: FitResult): string[] {
  const fitted = new Set(r.selection.model.variables.map((v) => v.name));
  return KEEP.filter((n) => !fitted.has(n));
}

function pointsOf(c: Characteristic): number[] {
  const pts = [...c.bins.map((b) => b.points), c.missing.points];
  if (c.type === 'categorical' && c.other) pts.push(c.other.points);
  return pts;
}

function binning(): BinningOptions {
  return { ...DEFAULT_BINNING_OPTIONS, ...BINNING };
}

function reasonOf(c: Characteristic): string | undefined {
  for (const b of c.bins) if (b.reasonCode) return b.reasonCode;
  return undefined;
}

function mapping(map: Readonly<Record<string, string>>): string {
  return Object.entries(map)
    .map(([from, to]) => `${from} -> ${code(to)}`)
    .join(', ');
}

function interval(min: number | undefined, max: number | undefined): string {
  if (min === undefined && max === undefined) return 'all';
  if (min === undefined) return `< ${max}`;
  if (max === undefined) return `>= ${min}`;
  return `[${min}, ${max})`;
}

/** Greedy word wrap, so the doc's prose reads well as plain text too. */
function wrap(text: string, width = 100): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}

const code = (s: string) => `\`${s}\``;
const f3 = (x: number) => fixed(x, 3);
const f4 = (x: number) => fixed(x, 4);
const pct = (x: number) => `${fixed(x * 100, 1)} %`;
const pValue = (p: number) => (p < 0.0001 ? '< 0.0001' : fixed(p, 4));
const signed = (x: number, digits = 4) => `${x > 0 ? '+' : ''}${fixed(x, digits)}`;

/** toFixed without "-0.000". */
function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}
