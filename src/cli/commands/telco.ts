import type { Command } from 'commander';
import { wireErasure, wireSubscriber } from '../../api/native/telco-wire.js';
import { SCOPES } from '../../auth/scopes.js';
import { type CsvRecord, dataError, readCsvRecords } from '../../data/csv.js';
import {
  featureNameProblem,
  SUBSCRIBER_COLUMNS,
  type SubscriberInput,
} from '../../domain/telco/subscriber.js';
import { decimalNumber } from '../../lib/decimal.js';
import { withContext } from '../context.js';
import { emit, fail } from '../output.js';
import { resolveTenant } from '../tenant-option.js';

type Json = { json?: boolean };

/**
 * Reads a subscribers CSV: the columns phone_number, id_document, subscription_type and
 * activation_date, then any number of feature columns (numbers; empty when not known).
 */
export async function readSubscribersCsv(
  file: string,
): Promise<{ rows: SubscriberInput[]; lines: number[] }> {
  const { records, lines } = await readCsvRecords(
    file,
    (r) => checkHeader(file, r),
    (header, r) => toInput(file, header, r),
  );
  return { rows: records, lines };
}

function checkHeader(file: string, r: CsvRecord): string[] {
  const names = r.fields.map((f) => f.trim());
  SUBSCRIBER_COLUMNS.forEach((column, i) => {
    if (names[i] !== column)
      throw dataError(
        file,
        r.line,
        names[i] ?? column,
        `column ${i + 1} must be ${column}; the file starts ${SUBSCRIBER_COLUMNS.join(', ')}, then feature columns`,
      );
  });
  names.forEach((name, i) => {
    if (names.indexOf(name) !== names.lastIndexOf(name))
      throw dataError(file, r.line, name, 'the column appears twice');
    // Checked here too: a column whose values are all empty gives no feature to check.
    const problem = i < SUBSCRIBER_COLUMNS.length ? undefined : featureNameProblem(name);
    if (problem) throw dataError(file, r.line, name === '' ? `column ${i + 1}` : name, problem);
  });
  return names;
}

function toInput(file: string, header: readonly string[], r: CsvRecord): SubscriberInput {
  if (r.fields.length !== header.length)
    throw dataError(file, r.line, null, `expected ${header.length} columns, found ${r.fields.length}`);
  const text = (i: number) => r.fields[i]!.trim();
  const features: Record<string, number | null> = {};
  for (let i = SUBSCRIBER_COLUMNS.length; i < header.length; i++) {
    const v = text(i);
    if (v === '') continue;
    const n = decimalNumber(v);
    if (n === undefined) throw dataError(file, r.line, header[i]!, `"${v}" is not a number`);
    features[header[i]!] = n;
  }
  return {
    phone_number: text(0),
    id_document: text(1) === '' ? null : text(1),
    subscription_type: text(2),
    activation_date: text(3),
    features,
  };
}

export function registerTelcoCommands(program: Command): void {
  const telco = program
    .command('telco')
    .description("a telecom operator's subscribers and their consents (CAMARA Customer Insights)");

  telco
    .command('import')
    .description(
      `load subscribers from a CSV file; columns ${SUBSCRIBER_COLUMNS.join(', ')}, then feature columns ` +
        '(docs/camara.md#subscriber-data). All or nothing; a phone number loaded before has its data replaced.',
    )
    .argument('<file>', 'CSV file')
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--json', 'print {"file", "received", "created", "updated"}')
    .action(async (file: string, opts: { tenant?: string } & Json) => {
      try {
        const { rows, lines } = await readSubscribersCsv(file);
        const result = await withContext(async (ctx) => {
          const tenant = await resolveTenant(ctx, opts.tenant);
          return ctx.telco.subscribers.load(tenant.id, rows, {
            actor: 'cli',
            where: (i) => `${file} line ${lines[i]}`,
          });
        });
        emit(
          opts,
          { file, ...result },
          () =>
            `${file}: ${result.received} rows, ${result.created} new subscribers, ${result.updated} updated`,
        );
      } catch (err) {
        fail(opts, err);
      }
    });

  telco
    .command('show')
    .description("a subscriber's data and consents, as stored (decrypted)")
    .requiredOption('--phone <e164>', "the subscriber's phone number, +...")
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--json', 'print the subscriber as one JSON object')
    .action(async (opts: { phone: string; tenant?: string } & Json) => {
      try {
        const { s, consents } = await withContext(async (ctx) => {
          const tenant = await resolveTenant(ctx, opts.tenant);
          const s = await ctx.telco.subscribers.record(tenant.id, opts.phone);
          return { s, consents: await ctx.telco.consents.of(s.id) };
        });
        emit(opts, wireSubscriber(s, consents), () =>
          [
            `${s.phone} (${s.id}): ${s.subscriptionType} since ${s.activationDate}, id document ${s.idDocument ?? 'none'}`,
            `features: ${JSON.stringify(s.features)}`,
            ...consents.map(
              (c) =>
                `consent ${c.id}: ${c.clientId} ${c.scope} ${c.revokedAt ? `withdrawn ${c.revokedAt}` : 'standing'}`,
            ),
          ].join('\n'),
        );
      } catch (err) {
        fail(opts, err);
      }
    });

  telco
    .command('erase')
    .description('erase a subscriber: their data, consents, authentication requests and score runs')
    .requiredOption('--phone <e164>', "the subscriber's phone number, +...")
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--json', 'print what was erased as one JSON object')
    .action(async (opts: { phone: string; tenant?: string } & Json) => {
      try {
        const r = await withContext(async (ctx) => {
          const tenant = await resolveTenant(ctx, opts.tenant);
          return ctx.telco.erasure.erase(tenant.id, opts.phone, { actor: 'cli', via: 'cli' });
        });
        emit(
          opts,
          wireErasure(r),
          () =>
            `erased subscriber ${r.subscriberId} (${r.consents} consents, ${r.cibaRequests} authentication requests, ${r.scoreRuns} score runs)`,
        );
      } catch (err) {
        fail(opts, err);
      }
    });

  const consent = telco.command('consent').description("record or withdraw a subscriber's consent");
  consent
    .command('grant')
    .description('record that the subscriber consents to be scored by the API consumer')
    .requiredOption('--phone <e164>', "the subscriber's phone number, +...")
    .requiredOption('--client <client_id>', "the API consumer's OAuth client_id")
    .option('--scope <scope>', 'the scope consented to', SCOPES.customerInsightsScoring)
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--json', 'print the consent as one JSON object')
    .action(async (opts: { phone: string; client: string; scope: string; tenant?: string } & Json) => {
      try {
        const { consent: c, created } = await withContext(async (ctx) => {
          const tenant = await resolveTenant(ctx, opts.tenant);
          return ctx.telco.consents.grantByPhone(tenant.id, {
            phone: opts.phone,
            clientId: opts.client,
            scope: opts.scope,
            source: 'cli',
            actor: 'cli',
          });
        });
        emit(
          opts,
          { consent_id: c.id, client_id: c.clientId, scope: c.scope, granted_at: c.grantedAt, created },
          () =>
            created ? `recorded consent ${c.id}` : `consent ${c.id} already stands since ${c.grantedAt}`,
        );
      } catch (err) {
        fail(opts, err);
      }
    });
  consent
    .command('revoke')
    .description('withdraw a consent: the tokens it covered stop working at once')
    .argument('<consent_id>', 'the consent id')
    .option('--tenant <tenant>', 'tenant name or id: only a consent of this tenant is withdrawn')
    .option('--json', 'print the consent as one JSON object')
    .action(async (id: string, opts: { tenant?: string } & Json) => {
      try {
        // Consent ids are unique across tenants: without --tenant, the id alone is enough.
        const c = await withContext(async (ctx) => {
          const tenant = opts.tenant === undefined ? undefined : await resolveTenant(ctx, opts.tenant);
          return ctx.telco.consents.revoke(tenant?.id, id, 'cli');
        });
        emit(opts, { consent_id: c.id, revoked_at: c.revokedAt }, () => `withdrew consent ${c.id}`);
      } catch (err) {
        fail(opts, err);
      }
    });
}
