import { type Kysely, sql } from 'kysely';

/**
 * The algorithm an OAuth client's ID tokens are signed with (OpenID Connect Registration's
 * `id_token_signed_response_alg`). Null means RS256, the default OpenID Connect gives a client
 * that registered none. Clients made before this column got ES256 ID tokens, and their relying
 * parties may check for it: they keep ES256.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oauth_clients').addColumn('id_token_alg', 'text').execute();
  await sql`update oauth_clients set id_token_alg = 'ES256'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oauth_clients').dropColumn('id_token_alg').execute();
}
