import type { Command } from 'commander';
import { type CsvRecord, dataError, readCsvRecords } from '../../data/csv.js';
import { isCredenceError } from '../../domain/errors.js';
import { checkOutcome, fromRecord, OUTCOME_FIELDS, type OutcomeRecord } from '../../domain/outcomes.js';
import { decimalNumber } from '../../lib/decimal.js';
import { withContext } from '../context.js';
import { emit, fail } from '../output.js';
import { cliPrincipal, resolveTenant } from '../tenant-option.js';

type Field = (typeof OUTCOME_FIELDS)[number];
const REQUIRED: readonly Field[] = ['partner_id', 'status', 'observed_at'];
const INTEGERS = new Set<Field>(['days_past_due', 'term_days']);
const NUMBERS = new Set<Field>(['amount', 'amount_overdue', 'paid_capital']);
/** Ids are taken exactly as written, as the API takes them: `" sp1 "` is not `sp1`. */
const EXACT = new Set<Field>(['partner_id', 'loan_id', 'external_id']);
const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  yes: true,
  '1': true,
  false: false,
  no: false,
  '0': false,
};

/** Reads an outcomes CSV into records, checking every row; throws naming the line and column. */
export async function readOutcomesCsv(file: string): Promise<OutcomeRecord[]> {
  const { records } = await readCsvRecords(
    file,
    (r) => checkHeader(file, r),
    (header, r) => toRecord(file, header, r),
  );
  return records;
}

function checkHeader(file: string, r: CsvRecord): Field[] {
  const names = r.fields.map((f) => f.trim());
  for (const name of names) {
    if (!(OUTCOME_FIELDS as readonly string[]).includes(name))
      throw dataError(file, r.line, name, `unknown column; the columns are ${OUTCOME_FIELDS.join(', ')}`);
    if (names.indexOf(name) !== names.lastIndexOf(name))
      throw dataError(file, r.line, name, 'the column appears twice');
  }
  for (const name of REQUIRED)
    if (!names.includes(name)) throw dataError(file, r.line, name, 'this required column is missing');
  return names as Field[];
}

function toRecord(file: string, header: readonly Field[], r: CsvRecord): OutcomeRecord {
  if (r.fields.length !== header.length)
    throw dataError(file, r.line, null, `expected ${header.length} columns, found ${r.fields.length}`);
  const out: Record<string, unknown> = {};
  header.forEach((name, i) => {
    const raw = r.fields[i]!;
    const text = raw.trim();
    if (text === '') {
      if (REQUIRED.includes(name)) throw dataError(file, r.line, name, 'a value is required');
      return;
    }
    if (INTEGERS.has(name) || NUMBERS.has(name)) {
      const n = decimalNumber(text);
      if (n === undefined || (INTEGERS.has(name) && !Number.isInteger(n)))
        throw dataError(
          file,
          r.line,
          name,
          `"${text}" is not ${INTEGERS.has(name) ? 'a whole number' : 'a number'}`,
        );
      out[name] = n;
    } else if (name === 'installment') {
      const b = BOOLEANS[text.toLowerCase()];
      if (b === undefined) throw dataError(file, r.line, name, `"${text}" is not true or false`);
      out[name] = b;
    } else out[name] = EXACT.has(name) ? raw : text;
  });
  const record = out as unknown as OutcomeRecord;
  try {
    checkOutcome(fromRecord(record).outcome, new Date());
  } catch (err) {
    const field = isCredenceError(err) ? err.details.field : undefined;
    if (field === undefined) throw err;
    throw dataError(file, r.line, field, (err as Error).message);
  }
  return record;
}

export function registerOutcomeCommands(program: Command): void {
  const outcomes = program.command('outcomes').description('record what became of scored people');

  outcomes
    .command('import')
    .description(
      `record loan outcomes from a CSV file with a header line; columns: ${OUTCOME_FIELDS.join(', ')} ` +
        '(partner_id, status and observed_at required; kind defaults to loan). All or nothing: a bad row stores none.',
    )
    .argument('<file>', 'CSV file')
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--json', 'print {"file", "rows", "stored", "duplicates"}')
    .action(async (file: string, opts: { tenant?: string; json?: boolean }) => {
      try {
        const records = await readOutcomesCsv(file);
        const result = await withContext(async (ctx) => {
          const tenant = await resolveTenant(ctx, opts.tenant);
          const principal = cliPrincipal(tenant);
          return ctx.outcomes.record(principal, records.map(fromRecord), 'import');
        });
        emit(
          opts,
          { file, rows: records.length, ...result },
          () =>
            `${file}: ${records.length} rows, ${result.stored} stored, ${result.duplicates} already stored`,
        );
      } catch (err) {
        fail(opts, err);
      }
    });
}
