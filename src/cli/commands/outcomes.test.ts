import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOutcomesCsv } from './outcomes.js';

describe('the outcomes CSV', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-outcomes-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps ids exactly as written, as the API does, and trims the other values', async () => {
    const file = path.join(dir, 'outcomes.csv');
    fs.writeFileSync(
      file,
      'partner_id,status,observed_at,loan_id,external_id,amount\n" sp1 ", paid ,2026-12-07,L 1 ,x-1, 1500.50\n',
    );
    expect(await readOutcomesCsv(file)).toEqual([
      {
        partner_id: ' sp1 ',
        status: 'paid',
        observed_at: '2026-12-07',
        loan_id: 'L 1 ',
        external_id: 'x-1',
        amount: 1500.5,
      },
    ]);
  });
});
