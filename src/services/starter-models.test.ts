import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testScorecard } from '../../test/fixtures/test-scorecard.js';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { ENGINES } from '../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`starter models read as text on ${engine}`, () => {
    let t: TestApp;
    let dir: string;
    /** A folder holding one starter model file of these bytes. */
    const folder = (name: string, bytes: Buffer) => {
      const d = fs.mkdtempSync(path.join(dir, 'models-'));
      fs.writeFileSync(path.join(d, name), bytes);
      return d;
    };
    const modelText = (name: string) =>
      `${JSON.stringify({ ...testScorecard('starter_text_score'), name }, null, 2)}\n`;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-starter-'));
      t = await createTestApp(engine);
    });
    afterAll(async () => {
      await t?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('refuses a file that is not UTF-8, naming it and its line, and stores nothing', async () => {
      // "Café" saved as Latin-1, as an editor may: read as UTF-8 it would become "Caf\uFFFD".
      const d = folder('latin1.json', Buffer.from(modelText('Café'), 'latin1'));
      const file = path.join(d, 'latin1.json');
      await expect(t.ctx.models.loadStarterModels(d)).rejects.toThrow(
        `starter model ${file} line 3: is not UTF-8 text; save the file as UTF-8`,
      );
      const stored = await t.ctx.database.db
        .selectFrom('models')
        .select('id')
        .where('service', '=', 'starter_text_score')
        .execute();
      expect(stored).toEqual([]);
    });

    it('reads a UTF-8 file, with or without a byte-order mark', async () => {
      const d = folder('bom.json', Buffer.from(`\uFEFF${modelText('Café')}`, 'utf8'));
      const [model] = await t.ctx.models.loadStarterModels(d);
      expect(model).toMatchObject({ service: 'starter_text_score', name: 'Café', source: 'starter' });
    });
  });
}
