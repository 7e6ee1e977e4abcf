import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecords, readCsv } from './csv.js';

const all = async (file: string, chunkSize?: number) => {
  const out = [];
  for await (const batch of readCsv(file, chunkSize ? { chunkSize } : {})) out.push(...batch);
  return out;
};
const write = (text: string | Buffer) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'csv-')), 'data.csv');
  fs.writeFileSync(file, text);
  return file;
};

describe('readCsv', () => {
  const text =
    '\ufeffid,name,note\r\n1,plain,x\r\n2,"quoted, with comma","say ""hi"""\n3,"two\nlines",\n4,,last';

  it('reads plain and quoted fields, CRLF and LF, and lines inside quotes, whatever the chunk size', async () => {
    for (const size of [undefined, 1, 2, 3, 7, 16]) {
      const records = await all(write(text), size);
      expect(records.map((r) => r.fields)).toEqual([
        ['id', 'name', 'note'],
        ['1', 'plain', 'x'],
        ['2', 'quoted, with comma', 'say "hi"'],
        ['3', 'two\nlines', ''],
        ['4', '', 'last'],
      ]);
      expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 6]);
      expect(records[2]!.raw).toBe('2,"quoted, with comma","say ""hi"""');
      expect(records[1]!.raw).toBe('1,plain,x');
    }
  });

  it('names the file and line of a malformed record', () => {
    expect(() => parseRecords('f.csv', 'a,b\n1,x"y\n', 1, true)).toThrow(
      'f.csv line 2: column 2 has a quote inside an unquoted field',
    );
    expect(() => parseRecords('f.csv', 'a,b\n1,"x"y\n', 1, true)).toThrow(
      'f.csv line 2: column 2 has text after its closing quote',
    );
    expect(() => parseRecords('f.csv', 'a,b\n1,\n2,"open\n', 1, true)).toThrow(
      'f.csv line 3: a quoted field in column 2 is never closed',
    );
  });

  it('says when the file cannot be read', async () => {
    await expect(all('/nonexistent/file.csv')).rejects.toThrow('cannot read /nonexistent/file.csv: ENOENT');
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-folder-'));
    await expect(all(folder)).rejects.toThrow(`cannot read ${folder}: EISDIR`);
  });

  it('refuses bytes that are not UTF-8, naming their line, whatever the chunk size', async () => {
    // "José" as a spreadsheet saves it in Latin-1: é is one byte, 0xE9, which UTF-8 never has alone.
    const latin1 = Buffer.from('id,name\n1,Ann\n2,"Jos\u00e9"\n3,Bo\n', 'latin1');
    for (const size of [undefined, 1, 2, 5]) {
      await expect(all(write(latin1), size), String(size)).rejects.toThrow(
        /data\.csv line 3: is not UTF-8 text; save the file as UTF-8 \(spreadsheets and some editors save Latin-1/,
      );
    }
    // A character cut off by the end of the file.
    const cut = Buffer.concat([Buffer.from('id,name\n1,'), Buffer.from('é').subarray(0, 1)]);
    await expect(all(write(cut))).rejects.toThrow(/line 2: is not UTF-8 text/);
    // The same text in UTF-8, split inside its two-byte characters by small chunks, is read whole.
    for (const size of [1, 2, 3]) {
      const records = await all(write(Buffer.from('id,name\n2,"José"\n3,Zoë')), size);
      expect(records.map((r) => r.fields[1])).toEqual(['name', 'José', 'Zoë']);
    }
  });
});
