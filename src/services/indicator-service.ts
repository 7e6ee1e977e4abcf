/**
 * Credit indicators of a person, for one package: finds the tenant's subject by the national id
 * or the phone number (through their blind indexes), reads what the package draws on (score
 * runs, loan outcomes and repayment schedules, the consortium) and hands it to the package's pure
 * function in src/domain/indicators/.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { listOutcomesOfSubject } from '../db/repositories/outcome.repository.js';
import { countScoredServices, listLatestScoredRuns } from '../db/repositories/score-run.repository.js';
import { findSubjectsByIdentifiers, listIdentifiers } from '../db/repositories/subject.repository.js';
import type { Database } from '../db/schema.js';
import { type IdentifierKind, normaliseIdentifier } from '../domain/identifiers.js';
import { creditRatingIndicators, type RatedRun } from '../domain/indicators/credit-rating.js';
import {
  multiplatformV1_1Indicators,
  multiplatformV1Indicators,
} from '../domain/indicators/multiplatform.js';
import type { PackageName } from '../domain/indicators/packages.js';
import {
  type LoanObservation,
  type RepaymentBehaviourInput,
  repaymentBehaviourIndicators,
} from '../domain/indicators/repayment-behaviour.js';
import type { Indicator } from '../domain/indicators/values.js';
import {
  type CallIdentifier,
  matchSubject,
  type SubjectCandidate,
  type SubjectMatch,
} from '../domain/subject-match.js';
import type { Clock } from '../lib/clock.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import type { ConsortiumService, PersonKeys } from './consortium-service.js';
import type { Principal } from './principal.js';
import type { StoredOutcome } from './score-outcome.js';

export interface IndicatorQuery extends PersonKeys {
  package: PackageName;
}

export interface IndicatorAnswer {
  indicators: Indicator[];
  subject: SubjectMatch | null;
}

export class IndicatorService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: PiiCipher,
    private readonly consortium: ConsortiumService,
    private readonly clock: Clock,
    private readonly log?: Pick<Logger, 'warn'>,
  ) {}

  async evaluate(who: Principal, q: IndicatorQuery): Promise<IndicatorAnswer> {
    const now = this.clock.now();
    const subject = await this.findSubject(who.tenantId, q);
    switch (q.package) {
      case 'credit_rating_estimation':
        return {
          subject,
          indicators: creditRatingIndicators(
            subject
              ? { subjectFound: true, ...(await this.rating(who, subject.subjectId)) }
              : { subjectFound: false, latest: undefined, servicesScored: 0 },
            now,
          ),
        };
      case 'behavior_analysis_of_repayment':
        return {
          subject,
          indicators: repaymentBehaviourIndicators(await this.repaymentData(who, subject), now),
        };
      case 'multiplatform_multi':
      case 'multiplatform_multi_V1_1': {
        const member = await this.consortium.isMember(who.tenantId);
        const input = { member, records: member ? await this.consortium.recordsOf(q) : [] };
        return {
          subject,
          indicators:
            q.package === 'multiplatform_multi'
              ? multiplatformV1Indicators(input, now)
              : multiplatformV1_1Indicators(input, now),
        };
      }
    }
  }

  /**
   * The tenant's subject with the national id, else with the phone number (E.164, as given), by
   * the rule of src/domain/subject-match.ts: a subject found by the id whose phone numbers are all
   * of another country is someone else.
   */
  async findSubject(tenantId: string, q: PersonKeys): Promise<SubjectMatch | null> {
    const given: CallIdentifier[] = [];
    const nationalId = q.nationalId ? normaliseIdentifier('national_id', q.nationalId) : undefined;
    if (nationalId) given.push({ kind: 'national_id', value: nationalId });
    if (q.phone) given.push({ kind: 'phone', value: q.phone });
    const rows = await findSubjectsByIdentifiers(
      this.db,
      tenantId,
      given.map((g) => ({ kind: g.kind, blindIndexes: this.cipher.blindIndexes(g.kind, g.value) })),
    );
    if (rows.length === 0) return null;
    const matched = new Map<string, IdentifierKind[]>();
    for (const r of rows)
      matched.set(r.subject_id, [...(matched.get(r.subject_id) ?? []), r.kind as IdentifierKind]);
    const candidates = await Promise.all(
      [...matched].map(async ([subjectId, kinds]): Promise<SubjectCandidate> => {
        const held = await listIdentifiers(this.db, tenantId, subjectId);
        return {
          subjectId,
          matched: kinds,
          kinds: held.map((i) => i.kind as IdentifierKind),
          phones: held.filter((i) => i.kind === 'phone').map((i) => this.cipher.decrypt(i.ciphertext)),
        };
      }),
    );
    return matchSubject(q.country, given, candidates);
  }

  /** The subject's latest run, and how many services have scored it in all its history. */
  private async rating(
    who: Principal,
    subjectId: string,
  ): Promise<{ latest: RatedRun | undefined; servicesScored: number }> {
    const [rows, servicesScored] = await Promise.all([
      listLatestScoredRuns(this.db, { tenantId: who.tenantId, subjectId, limit: 1 }),
      countScoredServices(this.db, who.tenantId, subjectId),
    ]);
    const latest = rows.map((r): RatedRun => {
      const card = (JSON.parse(r.result) as StoredOutcome).scorecard;
      return {
        service: r.service,
        createdAt: r.created_at,
        score: card.score,
        minScore: card.minScore,
        maxScore: card.maxScore,
        pd: card.pd,
        grade: card.grade,
        reasons: card.reasons,
        missingAttributes: card.missingAttributes,
      };
    });
    return { latest: latest[0], servicesScored };
  }

  private async repaymentData(
    who: Principal,
    subject: SubjectMatch | null,
  ): Promise<RepaymentBehaviourInput> {
    if (!subject) return { subjectFound: false, loans: [] };
    const [loans, schedule] = await Promise.all([
      this.source('outcomes', async (): Promise<LoanObservation[]> => {
        const rows = await listOutcomesOfSubject(this.db, who.tenantId, subject.subjectId);
        return rows
          .filter((o) => o.kind === 'loan')
          .map((o) => ({
            loanId: o.loan_id,
            status: o.status,
            daysPastDue: o.days_past_due === null ? null : Number(o.days_past_due),
            observedAt: o.observed_at,
          }));
      }),
      this.source('repayment schedule', async () => {
        const [run] = await listLatestScoredRuns(this.db, {
          tenantId: who.tenantId,
          subjectId: subject.subjectId,
          service: 'repayment_score',
          limit: 1,
        });
        if (!run) return undefined;
        const stored = JSON.parse(run.result) as StoredOutcome;
        return 'schedule' in stored
          ? { scoredAt: run.created_at, months: stored.schedule.months }
          : undefined;
      }),
    ]);
    return { subjectFound: true, loans, schedule };
  }

  /** Reads one data source; a failure marks the indicators drawn from it as system errors. */
  private async source<T>(what: string, read: () => Promise<T>): Promise<T | 'error'> {
    try {
      return await read();
    } catch (err) {
      this.log?.warn({ err }, `credit indicators: could not read the ${what}`);
      return 'error';
    }
  }
}
