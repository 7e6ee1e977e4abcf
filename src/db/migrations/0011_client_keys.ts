import type { Kysely } from 'kysely';

/**
 * OAuth clients that authenticate with a signed JWT (`private_key_jwt`, RFC 7523 §2.2) instead of
 * a secret: the public keys of the client, as a JWK Set in JSON.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oauth_clients').addColumn('jwks', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oauth_clients').dropColumn('jwks').execute();
}
