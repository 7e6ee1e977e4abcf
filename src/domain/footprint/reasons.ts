/**
 * Reason codes with a sentiment, as FriendlyScore's newer API reports them:
 * `[{code, sentiment: "Positive" | "Negative"}]`. Negative reasons are the scorecard's own (the
 * characteristics that cost the most points). Positive ones name the characteristics that earned
 * their best points, with the code the model gives them in `metadata.positiveReasonCodes`.
 */
import type { ScorecardModel } from '../scoring/model-format.js';
import type { Contribution, ReasonCode } from '../scoring/scorecard.js';

export interface SentimentReason {
  code: string;
  sentiment: 'Positive' | 'Negative';
  description: string;
}

const MAX_POSITIVE = 3;

/** The most points each characteristic can give: its best bin, the missing bin or the other bin. */
export function bestPoints(model: ScorecardModel): Map<string, number> {
  return new Map(
    model.characteristics.map((c) => [
      c.name,
      Math.max(
        ...c.bins.map((b) => b.points),
        c.missing.points,
        c.type === 'categorical' ? (c.other?.points ?? -Infinity) : -Infinity,
      ),
    ]),
  );
}

export function sentimentReasons(
  model: ScorecardModel,
  negatives: readonly ReasonCode[],
  contributions: readonly Contribution[],
): SentimentReason[] {
  const positiveCodes = (model.metadata?.positiveReasonCodes ?? {}) as Record<string, string>;
  const best = bestPoints(model);
  const positives = contributions
    .filter((c) => c.points > 0 && c.points === best.get(c.characteristic) && positiveCodes[c.characteristic])
    .sort((x, y) => y.points - x.points)
    .slice(0, MAX_POSITIVE)
    .map((c) => {
      const code = positiveCodes[c.characteristic]!;
      return { code, sentiment: 'Positive' as const, description: model.reasonCodes[code] ?? code };
    });
  return [
    ...negatives.map((r) => ({ code: r.code, sentiment: 'Negative' as const, description: r.description })),
    ...positives,
  ];
}
