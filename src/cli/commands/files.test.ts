import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { integerOption, readJson } from './files.js';

describe('readJson', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-read-json-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string | Buffer) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('names a file that is not JSON in one line, its line breaks written as \\n', () => {
    const f = file('notes.json', 'not json\r\nat all\n');
    let message = '';
    try {
      readJson(f, '--model');
    } catch (err) {
      expect(err).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', details: { field: '--model' } });
      message = (err as Error).message;
    }
    expect(message.startsWith(`${f} is not valid JSON: `)).toBe(true);
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).toContain('not json\\r\\nat all\\n');
  });

  it('reads a JSON file, a byte-order mark before it included', () => {
    expect(readJson(file('ok.json', '\ufeff{"a": 1}\n'))).toEqual({ a: 1 });
  });

  it('refuses a file that is not UTF-8, naming the line, not reading it with replacement characters', () => {
    // A model whose reason text an old editor saved in Latin-1: "Jeune âge" with â as one byte.
    const latin1 = file('latin1.json', Buffer.from('{\n  "reason": "Jeune \u00e2ge"\n}\n', 'latin1'));
    expect(() => readJson(latin1, '--model')).toThrow(
      expect.objectContaining({
        message: `${latin1} line 2: is not UTF-8 text; save the file as UTF-8 (spreadsheets and some editors save Latin-1 or Windows-1252 unless told otherwise)`,
        details: { field: '--model' },
      }),
    );
    expect(readJson(file('utf8.json', '{"reason": "Jeune âge"}'))).toEqual({ reason: 'Jeune âge' });
  });
});

describe('integerOption', () => {
  it('reads plain decimal digits within the range', () => {
    expect(integerOption('50', '--limit', 1, 1000)).toBe(50);
    expect(integerOption('1000', '--limit', 1, 1000)).toBe(1000);
    expect(integerOption('007', '--limit', 1, 1000)).toBe(7);
    expect(integerOption('0', '--seed', 0)).toBe(0);
    expect(integerOption('4294967296', '--seed', 0)).toBe(4294967296);
  });

  it.each([
    '1e2',
    '0x10',
    '0b11',
    '0o7',
    '1.0',
    '.5',
    ' 5',
    '5 ',
    '+5',
    '-5',
    '',
    '1_000',
    'Infinity',
    '\u0665',
    '0',
    '1001',
    '99999999999999999999',
  ])('refuses %j, naming the option and its range', (text) => {
    expect(() => integerOption(text, '--limit', 1, 1000)).toThrow(
      expect.objectContaining({
        code: 'CREDENCE_INVALID_INPUT',
        message: `--limit must be a whole number from 1 to 1000, not ${JSON.stringify(text)}`,
        details: { field: '--limit' },
      }),
    );
  });

  it('names an open range by its least value', () => {
    expect(() => integerOption('1e3', '--batch-size', 1)).toThrow(
      '--batch-size must be a whole number of at least 1, not "1e3"',
    );
    expect(() => integerOption('9007199254740993', '--seed', 0)).toThrow(
      '--seed must be a whole number of at least 0, not "9007199254740993"',
    );
  });
});
