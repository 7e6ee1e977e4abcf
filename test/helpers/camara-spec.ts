/**
 * Conformance to the official CAMARA OpenAPI files (test/fixtures/camara, Apache-2.0, see
 * SOURCES.md there): every response a test receives is validated against the schema the file
 * gives for its status, and its x-correlator header against the header's schema. Statuses the
 * API file leaves to the Commonalities (405, 406, 415, 500, 503) are checked against
 * CAMARA_common.yaml. Local `$ref`s are resolved by Ajv itself: each file is added whole under
 * its own id.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import { parse } from 'yaml';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/camara');
const FILES = {
  'v0.3rc1': 'customer-insights-0.3.0-rc.1.yaml',
  'v0.2': 'customer-insights-0.2.0.yaml',
  common: 'CAMARA_common.yaml',
} as const;
export type SpecVersion = 'v0.3rc1' | 'v0.2';

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document walked by key
type Doc = Record<string, any>;
const docs = Object.fromEntries(
  Object.entries(FILES).map(([k, f]) => [k, parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Doc]),
) as Record<keyof typeof FILES, Doc>;

// The discriminator's mapping is OpenAPI's, not JSON Schema's: left aside, `oneOf` decides alone.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addFormat('int32', {
  type: 'number',
  validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
});
for (const [id, doc] of Object.entries(docs)) ajv.addSchema(doc, id);

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The JSON pointer of the response for `status` in the file, following a `$ref` to components. */
function responseAt(version: SpecVersion, status: number): { id: string; at: string } | undefined {
  const op = docs[version].paths['/scoring/retrieve'].post;
  const r = op.responses[String(status)];
  if (r) {
    if (r.$ref) return { id: version, at: (r.$ref as string).slice(1) };
    return {
      id: version,
      at: `/${pointer('paths', '/scoring/retrieve', 'post', 'responses', String(status))}`,
    };
  }
  const common = `Generic${status}`;
  if (docs.common.components.responses[common])
    return { id: 'common', at: `/components/responses/${common}` };
  return undefined;
}

/** The statuses each file documents for retrieveScoring. */
export const documentedStatuses = (version: SpecVersion) =>
  Object.keys(docs[version].paths['/scoring/retrieve'].post.responses).map(Number);

/** The error codes each file allows for a status. */
export function documentedCodes(version: SpecVersion, status: number): string[] {
  const where = responseAt(version, status)!;
  let node: Doc = docs[where.id as keyof typeof docs];
  for (const p of where.at.split('/').slice(1)) node = node[p.replace(/~1/g, '/').replace(/~0/g, '~')];
  const schema = node.content['application/json'].schema;
  return schema.allOf[1].properties.code.enum as string[];
}

/**
 * The canonical pointer of `parts` below `at` in file `id`, following each local `$ref` met on the
 * way (a response's header is itself a `$ref` in the 0.2 file).
 */
function follow(id: string, at: string, ...parts: string[]): string {
  const doc = docs[id as keyof typeof docs];
  const get = (ptr: string) => {
    let node: Doc = doc;
    for (const p of ptr.split('/').slice(1)) node = node?.[p.replace(/~1/g, '/').replace(/~0/g, '~')];
    return node;
  };
  let current = at;
  for (const part of parts) {
    let node = get(current);
    while (node && typeof node.$ref === 'string') {
      current = (node.$ref as string).slice(1);
      node = get(current);
    }
    if (!node || !(part in node)) throw new Error(`${id}#${current} has no ${part}`);
    current = `${current}/${pointer(part)}`;
  }
  return `${id}#${current}`;
}

const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
function validator(ref: string) {
  let v = compiled.get(ref);
  if (!v) {
    v = ajv.compile({ $ref: ref });
    compiled.set(ref, v);
  }
  return v;
}

/** Throws, naming what broke, unless the response conforms to the file of `version`. */
export function assertConforms(version: SpecVersion, res: LightMyRequestResponse): void {
  const where = responseAt(version, res.statusCode);
  if (!where)
    throw new Error(
      `status ${res.statusCode} is documented neither in ${FILES[version]} nor in the Commonalities`,
    );
  const base = `${where.id}#${where.at}`;
  const bodyRef = follow(where.id, where.at, 'content', 'application/json', 'schema');
  if (!String(res.headers['content-type'] ?? '').startsWith('application/json'))
    throw new Error(`content-type is ${res.headers['content-type']}, not application/json`);
  const body = validator(bodyRef);
  const parsed = res.json() as unknown;
  if (!body(parsed))
    throw new Error(`${res.statusCode} body ${res.body} breaks ${base}: ${ajv.errorsText(body.errors)}`);
  const correlator = res.headers['x-correlator'];
  if (correlator !== undefined) {
    const header = validator(follow(where.id, where.at, 'headers', 'x-correlator', 'schema'));
    if (!header(correlator)) throw new Error(`x-correlator ${String(correlator)} breaks its schema`);
  }
}
