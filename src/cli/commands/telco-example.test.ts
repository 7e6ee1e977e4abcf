import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSubscriber } from '../../domain/telco/subscriber.js';
import { readSubscribersCsv } from './telco.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const EXAMPLE = path.join(ROOT, 'docs/examples/subscribers.csv');

describe('the example subscribers file of docs/camara.md', () => {
  it('is the CSV the page shows, and every row of it loads', async () => {
    const page = fs.readFileSync(path.join(ROOT, 'docs/camara.md'), 'utf8');
    const shown = /```csv\n([\s\S]*?)```/.exec(page)?.[1];
    expect(fs.readFileSync(EXAMPLE, 'utf8')).toBe(shown);
    const { rows } = await readSubscribersCsv(EXAMPLE);
    const today = new Date('2026-11-21T00:00:00Z');
    expect(rows.map((r) => checkSubscriber(r, today).subscriptionType)).toEqual([
      'postpaid',
      'prepaid',
      'b2b',
    ]);
  });
});

describe('readSubscribersCsv', () => {
  it('names the line of a header that follows blank lines', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subscribers-'));
    const file = path.join(dir, 'late.csv');
    fs.writeFileSync(file, '\n\nphone_number,id_document,subscription_type,activation_date,arpu,arpu\n');
    await expect(readSubscribersCsv(file)).rejects.toThrow(
      `${file} line 3, column "arpu": the column appears twice`,
    );
    fs.writeFileSync(file, '\n\nphone_number,id_document,subscription_type,activation_date,arpu\n');
    await expect(readSubscribersCsv(file)).rejects.toThrow(
      `${file} line 4: the file has a header but no rows`,
    );
    // A feature column's name is checked though none of its values is given.
    fs.writeFileSync(
      file,
      'phone_number,id_document,subscription_type,activation_date,4g_days\n+254712345678,,prepaid,2024-01-15,\n',
    );
    await expect(readSubscribersCsv(file)).rejects.toThrow(
      `${file} line 1, column "4g_days": feature name "4g_days" must start with a lower case letter, followed by lower case letters, digits or _, 64 characters at most`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
