/**
 * Queries of a fixed shape, built and compiled by Kysely once per SQL dialect and then run with new
 * values bound to the same SQL text.
 *
 * Building a query (its operation nodes, frozen) and compiling it to SQL costs Kysely about 8 µs,
 * often more than SQLite takes to run it; on the hottest paths (a TD call runs five such queries)
 * that is worth keeping. `fixedQuery` calls the builder once with stand-ins for its arguments,
 * notes which parameter of the compiled SQL each stand-in became, and from then on only binds.
 * Use it only for a query whose shape does not depend on its arguments' values: no `in` lists of
 * varying length, no branches on a value. An argument that is not bound as a parameter (used
 * in a way that changes the SQL) is refused when the query is first built.
 */
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema.js';

class StandIn {
  constructor(readonly index: number) {}
}

/** Where each parameter of the compiled SQL comes from: an argument by index, or a constant. */
type Binding = { arg: number } | { value: unknown };

interface Template {
  sql: string;
  bindings: Binding[];
}

type Db = Kysely<Database>;

export function fixedQuery<A extends unknown[], O>(
  build: (db: Db, ...args: A) => Compilable<O>,
): (db: Db, ...args: A) => Promise<QueryResult<O>> {
  // One template per dialect adapter: tests run SQLite and PostgreSQL in one process.
  const templates = new WeakMap<object, Template>();
  return (db, ...args) => {
    const adapter = db.getExecutor().adapter;
    let template = templates.get(adapter);
    if (!template) {
      try {
        template = compileTemplate(db, build, args.length);
      } catch (err) {
        return Promise.reject(err);
      }
      templates.set(adapter, template);
    }
    const params = template.bindings.map((b) => ('arg' in b ? args[b.arg] : b.value));
    return db.executeQuery<O>(CompiledQuery.raw(template.sql, params));
  };
}

function compileTemplate<A extends unknown[], O>(
  db: Db,
  build: (db: Db, ...args: A) => Compilable<O>,
  arity: number,
): Template {
  const standIns = Array.from({ length: arity }, (_, i) => new StandIn(i));
  const compiled = build(db, ...(standIns as unknown as A)).compile();
  const bindings = compiled.parameters.map(
    (p): Binding => (p instanceof StandIn ? { arg: p.index } : { value: p }),
  );
  const bound = new Set(bindings.flatMap((b) => ('arg' in b ? [b.arg] : [])));
  for (let i = 0; i < arity; i++)
    if (!bound.has(i))
      throw new Error(`fixedQuery: argument ${i} is not a parameter of the SQL: ${compiled.sql}`);
  return { sql: compiled.sql, bindings };
}

/**
 * Every column of a row type, as a list for a fixed insert; a list that leaves one out does not
 * compile (the missing column names the type of the expected second argument).
 */
export function everyColumn<Row>() {
  return <const L extends readonly (keyof Row & string)[]>(
    columns: L,
    ..._complete: Exclude<keyof Row, L[number]> extends never ? [] : [missing: Exclude<keyof Row, L[number]>]
  ): L => columns;
}

/**
 * A fixed insert of a whole row: `columns` lists every column (see `everyColumn`), and `build`
 * inserts the row it is given, with whatever else the statement needs (an `on conflict`, say).
 */
export function fixedInsert<Row, O>(
  columns: readonly (keyof Row & string)[],
  build: (db: Db, row: Row) => Compilable<O>,
): (db: Db, row: Row) => Promise<QueryResult<O>> {
  const query = fixedQuery((db: Db, ...values: unknown[]) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i];
    return build(db, row as Row);
  });
  return (db, row) => query(db, ...columns.map((c) => row[c]));
}

/**
 * Fixed queries for a query whose shape depends on a few small counts (the lengths of its `in`
 * lists, which hold one value per secret key): one compiled query per shape, built on first use.
 */
export function fixedQueries<S, A extends unknown[], O>(
  key: (shape: S) => string,
  build: (shape: S) => (db: Db, ...args: A) => Compilable<O>,
): (shape: S) => (db: Db, ...args: A) => Promise<QueryResult<O>> {
  const byShape = new Map<string, (db: Db, ...args: A) => Promise<QueryResult<O>>>();
  return (shape) => {
    const k = key(shape);
    let query = byShape.get(k);
    if (!query) {
      query = fixedQuery(build(shape));
      byShape.set(k, query);
    }
    return query;
  };
}
