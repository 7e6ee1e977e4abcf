import fs from 'node:fs';
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
