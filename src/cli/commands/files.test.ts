import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJson } from './files.js';

describe('readJson', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-read-json-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
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
});
