import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJson } from './files.js';

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
