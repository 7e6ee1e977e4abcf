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
const write = (text: string) => {
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
});
