/**
 * The user object of show.json and users.json: FriendlyScore's fields (docs/friendlyscore.md),
 * filled from what is kept about the user. Profile fields come from the data records connectors
 * gather (a linked network's profile, a parsed CV) and are null until something was gathered;
 * nothing is made up.
 */
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ageOn } from '../../../domain/footprint/age.js';
import { NETWORKS } from '../../../domain/footprint/networks.js';
import { noticesFor } from '../../../domain/footprint/notices.js';
import { cvKind, socialKind } from '../../../domain/footprint/records.js';
import { isWorking } from '../../../domain/footprint/working.js';
import type { ScoreState } from '../../../services/friendlyscore/scoring.js';
import type { FriendlyScoreUser } from '../../../services/friendlyscore/users.js';
import type { Outcome } from '../../../services/outcome-service.js';
import type { Principal } from '../../../services/principal.js';
import type { UserObject } from './schemas.js';

type Profile = Record<string, unknown>;

const first = <T>(profiles: Profile[], field: string, ok: (v: unknown) => v is T): T | null => {
  for (const p of profiles) if (ok(p[field])) return p[field] as T;
  return null;
};
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isInt = (v: unknown): v is number => Number.isInteger(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isList = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0;

/**
 * `status` is text when set through status.json; shown as a number when it is one (public clients
 * read an int), written as a number is (`7`, not `007`, which stays text as it was sent).
 */
const statusValue = (s: string | null): number | string | null =>
  s === null ? null : /^(0|-?[1-9]\d{0,8})$/.test(s) ? Number(s) : s;

export async function userView(
  app: FastifyInstance,
  who: Principal,
  user: FriendlyScoreUser,
  state: ScoreState,
): Promise<Static<typeof UserObject>> {
  const [records, outcomes] = await Promise.all([
    app.ctx.dataRecords.latest(user.tenantId, user.subjectId),
    app.ctx.outcomes.ofSubject(who, user.subjectId),
  ]);
  const data = new Map([...records].map(([k, r]) => [k, r.data]));
  const profiles = NETWORKS.map((n) => data.get(socialKind(n)))
    .filter((p): p is Profile => p !== null && typeof p === 'object' && !Array.isArray(p))
    .filter((p) => p.token_valid !== false);
  const listOf = (v: unknown) => (isList(v) ? v : null);
  const emails = first(profiles, 'emails', isList) as string[] | null;
  const phones = first(profiles, 'phones', isList) as string[] | null;
  // What the CV parser found, where no network says.
  const cv = (part: Parameters<typeof cvKind>[0]) => listOf(data.get(cvKind(part)));
  const firstText = (list: unknown[] | null) => (list && isText(list[0]) ? list[0] : null);
  const feedback = latest(outcomes, 'feedback');
  const loan = latest(outcomes, 'loan');
  const scored = state.state === 'scored' ? state : null;
  const now = app.ctx.clock.now();
  return {
    id: user.number,
    partner_id: user.partnerId,
    friendlyscore: scored ? scored.score : null,
    band: scored ? scored.band : null,
    name: first(profiles, 'name', isText),
    email: first(profiles, 'email', isText) ?? firstText(emails) ?? firstText(cv('emails')),
    mobile: first(profiles, 'mobile', isText) ?? firstText(phones) ?? firstText(cv('phones')),
    age: first(profiles, 'age', isInt) ?? ageOn(cv('days-of-birth')?.[0], now),
    gender: first(profiles, 'gender', isText),
    address: first(profiles, 'address', isText),
    city_name: first(profiles, 'city_name', isText),
    educations: first(profiles, 'educations', isList) ?? cv('universities'),
    skills: first(profiles, 'skills', isList) ?? cv('skills'),
    family_members_in_home: first(profiles, 'family_members_in_home', isInt),
    has_kids: first(profiles, 'has_kids', isBool),
    // A network's own word first, then the work history a network or the CV gives.
    working:
      first(profiles, 'working', isBool) ??
      isWorking(first(profiles, 'work', isList), now) ??
      isWorking(cv('work-periods'), now),
    positive: feedback ? feedback.status === 'positive' : null,
    status: statusValue(user.status),
    status_description: user.statusDescription,
    loan_amount: loan?.amount ?? null,
    loan_currency: loan?.currency ?? null,
    loan_duration_in_days: loan?.termDays ?? null,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    notices: noticesFor(data),
  };
}

function latest(outcomes: readonly Outcome[], kind: Outcome['kind']): Outcome | undefined {
  let found: Outcome | undefined;
  for (const o of outcomes) if (o.kind === kind && (!found || o.createdAt >= found.createdAt)) found = o;
  return found;
}
