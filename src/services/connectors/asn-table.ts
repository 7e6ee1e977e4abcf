/**
 * The shipped ASN table: `@ip-location-db/asn` (RouteViews and DB-IP, CC BY 4.0), ranges of IPv4
 * and IPv6 addresses with the autonomous system announcing them and its organisation. Each family
 * is read once, on its first lookup, into sorted arrays searched by bisection. A MaxMind-format
 * ASN database (`CREDENCE_GEOIP_ASN_DB`) takes its place when configured.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import ipaddr from 'ipaddr.js';

export interface AsnInfo {
  asn: number;
  organisation: string;
}

/** Ranges sorted by start: IPv4 as numbers in typed arrays, IPv6 as bigints. */
interface Ranges<N> {
  starts: ArrayLike<N>;
  ends: ArrayLike<N>;
  asns: Uint32Array;
  /** Index into `names`. */
  orgs: Uint32Array;
  names: string[];
}

function load<N>(
  text: string,
  num: (s: string) => N,
  array: (n: number) => { [i: number]: N; length: number },
) {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  const starts = array(lines);
  const ends = array(lines);
  const asns = new Uint32Array(lines);
  const orgs = new Uint32Array(lines);
  const names: string[] = [];
  const index = new Map<string, number>();
  let n = 0;
  let pos = 0;
  while (pos < text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const a = text.indexOf(',', pos);
    const b = text.indexOf(',', a + 1);
    const c = text.indexOf(',', b + 1);
    if (a > pos && c > 0 && c < eol) {
      let org = text.slice(c + 1, eol).replace(/\r$/, '');
      if (org.startsWith('"')) org = org.slice(1, org.endsWith('"') ? -1 : undefined).replace(/""/g, '"');
      let o = index.get(org);
      if (o === undefined) {
        o = names.push(org) - 1;
        index.set(org, o);
      }
      starts[n] = num(text.slice(pos, a));
      ends[n] = num(text.slice(a + 1, b));
      asns[n] = Number(text.slice(b + 1, c));
      orgs[n] = o;
      n++;
    }
    pos = eol + 1;
  }
  const ranges: Ranges<N> = { starts, ends, asns, orgs, names };
  return { ...ranges, length: n };
}

function find<N>(r: Ranges<N> & { length: number }, n: N): AsnInfo | undefined {
  let lo = 0;
  let hi = r.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (r.starts[mid]! <= n) lo = mid + 1;
    else hi = mid - 1;
  }
  if (hi < 0 || n > r.ends[hi]!) return undefined;
  return { asn: r.asns[hi]!, organisation: r.names[r.orgs[hi]!]! };
}

type Table<N> = Ranges<N> & { length: number };

export class AsnTable {
  private v4?: Promise<Table<number>>;
  private v6?: Promise<Table<bigint>>;

  /** IPv6's table is read only when an IPv6 address is looked up (its numbers are bigints: slower). */
  constructor(private readonly dir = AsnTable.defaultDir()) {}

  static defaultDir(): string {
    const require = createRequire(import.meta.url);
    return path.dirname(require.resolve('@ip-location-db/asn/package.json'));
  }

  private table4(): Promise<Table<number>> {
    this.v4 ??= readFile(path.join(this.dir, 'asn-ipv4-num.csv'), 'utf8').then((t) =>
      load(t, Number, (n) => new Float64Array(n)),
    );
    return this.v4;
  }

  private table6(): Promise<Table<bigint>> {
    this.v6 ??= readFile(path.join(this.dir, 'asn-ipv6-num.csv'), 'utf8').then((t) =>
      load(t, BigInt, (n) => new Array<bigint>(n)),
    );
    return this.v6;
  }

  async get(ip: string): Promise<AsnInfo | undefined> {
    const a = ipaddr.parse(ip);
    if (a.kind() === 'ipv4') {
      const n = (a as ipaddr.IPv4).octets.reduce((x, o) => x * 256 + o, 0);
      return find(await this.table4(), n);
    }
    const n = (a as ipaddr.IPv6).parts.reduce((x, p) => (x << 16n) + BigInt(p), 0n);
    return find(await this.table6(), n);
  }
}
