/**
 * A DOCX is a zip archive. Before it is handed to mammoth, every entry is inflated here with a
 * limit on the total output, so that a zip bomb (a small file that inflates to gigabytes, or one
 * whose headers lie about its sizes) is refused instead of filling the memory of the worker.
 */
import { inflateRawSync } from 'node:zlib';

export class ZipRefused extends Error {
  override name = 'ZipRefused';
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Names of the entries; throws ZipRefused when the archive is malformed or inflates past `maxBytes`. */
export function checkZip(buf: Buffer, maxBytes: number, maxRatio = 200): string[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipRefused('the file is not a valid zip archive');
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  let total = 0;
  const names: string[] = [];
  // Every directory entry there is, as the reader that comes after (JSZip) reads them: it follows
  // the entries, not the count, and a later entry of the same name takes the place of an earlier
  // one. An archive whose count says less than its directory holds, or that names an entry twice,
  // could hide an entry from this check, and is refused.
  while (p + 4 <= buf.length && buf.readUInt32LE(p) === CENTRAL) {
    if (p + 46 > buf.length) throw new ZipRefused('the zip directory is damaged');
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    if (names.includes(name)) throw new ZipRefused(`the zip archive holds the entry ${name} twice`);
    names.push(name);
    if (compressed === 0xffffffff || local === 0xffffffff)
      throw new ZipRefused('zip64 archives are not accepted');
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL)
      throw new ZipRefused('the zip entries are damaged');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + compressed);
    let size: number;
    if (method === 0) size = data.length;
    else if (method === 8) {
      try {
        size = inflateRawSync(data, { maxOutputLength: Math.max(1, maxBytes - total) }).length;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)
          throw new ZipRefused(`the archive inflates to more than ${maxBytes} bytes (a zip bomb?)`);
        throw new ZipRefused(`the zip entry ${name} cannot be inflated`);
      }
    } else throw new ZipRefused(`the zip entry ${name} uses an unsupported compression method`);
    total += size;
    if (total > maxBytes)
      throw new ZipRefused(`the archive inflates to more than ${maxBytes} bytes (a zip bomb?)`);
    if (compressed > 0 && size / compressed > maxRatio && size > 1024 * 1024)
      throw new ZipRefused(
        `the zip entry ${name} inflates ${Math.round(size / compressed)} times (a zip bomb?)`,
      );
    p += 46 + nameLength + extraLength + commentLength;
  }
  if (names.length !== entries)
    throw new ZipRefused(
      `the zip directory holds ${names.length} entries where the archive says ${entries} (the directory is damaged)`,
    );
  return names;
}
