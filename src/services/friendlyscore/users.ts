/**
 * FriendlyScore's users: a subject of the tenant with FriendlyScore's own numeric id (id-type
 * `id`) next to the tenant's id for the person (id-type `partner-id`), a status and its
 * description set by the tenant.
 */
import type { Kysely } from 'kysely';
import {
  countUsers,
  type FriendlyScoreUserWithPartner,
  findUserByNumber,
  findUserByPartnerId,
  findUserBySubject,
  insertUser,
  listUsers,
  nextUserNumber,
  updateUserStatus,
} from '../../db/repositories/friendlyscore.repository.js';
import { ensureSubjects, subjectKey } from '../../db/repositories/subject.repository.js';
import type { Database } from '../../db/schema.js';
import { CredenceError } from '../../domain/errors.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { PiiCipher } from '../../security/pii-cipher.js';

export type UserRef = { type: 'id'; value: number } | { type: 'partner-id'; value: string };

export interface FriendlyScoreUser {
  subjectId: string;
  tenantId: string;
  /** FriendlyScore's id for the user. */
  number: number;
  partnerId: string;
  status: string | null;
  statusDescription: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * A user as stored. The lender's status description is free text that may name the person: it is
 * kept sealed, and one kept in plain text before it was sealed is read as it is.
 */
const toUser = (r: FriendlyScoreUserWithPartner, cipher: PiiCipher): FriendlyScoreUser => ({
  subjectId: r.subject_id,
  tenantId: r.tenant_id,
  number: r.user_number,
  partnerId: r.partner_id,
  status: r.status,
  statusDescription: r.status_description === null ? null : cipher.decryptOrPlain(r.status_description),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const userNotFound = () => new CredenceError('CREDENCE_NOT_FOUND', 'User not found');

export class FriendlyScoreUsers {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly cipher: PiiCipher,
  ) {}

  async find(
    tenantId: string,
    ref: UserRef,
    db: Kysely<Database> = this.db,
  ): Promise<FriendlyScoreUser | undefined> {
    const row =
      ref.type === 'id'
        ? await findUserByNumber(db, tenantId, ref.value)
        : await findUserByPartnerId(db, tenantId, ref.value);
    return row ? toUser(row, this.cipher) : undefined;
  }

  /** The user, or CREDENCE_NOT_FOUND ("User not found"); another tenant's users are not found. */
  async get(tenantId: string, ref: UserRef): Promise<FriendlyScoreUser> {
    const user = await this.find(tenantId, ref);
    if (!user) throw userNotFound();
    return user;
  }

  /**
   * The user a partner id names, made (with its subject) if there is none, inside `trx`. Numbers
   * are given in order per tenant; two requests racing for the same number make one of them fail
   * on the unique constraint, and the caller retries its transaction.
   */
  async ensure(trx: Kysely<Database>, tenantId: string, partnerId: string): Promise<FriendlyScoreUser> {
    const now = this.clock.now().toISOString();
    const subjects = await ensureSubjects(trx, [{ tenantId, partnerId, newId: newId('sub'), at: now }]);
    const subjectId = subjects.get(subjectKey(tenantId, partnerId))!;
    if (!(await findUserBySubject(trx, subjectId))) {
      await insertUser(trx, {
        subject_id: subjectId,
        tenant_id: tenantId,
        user_number: await nextUserNumber(trx, tenantId),
        status: null,
        status_description: null,
        created_at: now,
        updated_at: now,
      });
    }
    return toUser((await findUserByPartnerId(trx, tenantId, partnerId))!, this.cipher);
  }

  async page(
    tenantId: string,
    page: number,
    perPage: number,
  ): Promise<{ users: FriendlyScoreUser[]; total: number }> {
    const [rows, total] = await Promise.all([
      listUsers(this.db, tenantId, (page - 1) * perPage, perPage),
      countUsers(this.db, tenantId),
    ]);
    return { users: rows.map((r) => toUser(r, this.cipher)), total };
  }

  async setStatus(user: FriendlyScoreUser, status: string, description: string | null): Promise<void> {
    const sealed = description === null ? null : this.cipher.encrypt(description);
    await updateUserStatus(this.db, user.subjectId, status, sealed, this.clock.now().toISOString());
  }
}

/** Runs `fn` in a transaction, again (up to 5 times) when a concurrent writer won a unique key. */
export async function withRetries<T>(
  db: Kysely<Database>,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (err) {
      if (attempt >= 5 || !/unique|duplicate key/i.test((err as Error).message)) throw err;
    }
  }
}
