/**
 * A lender's model lifecycle with the real executable and server: train a card, import it as the
 * champion and another as challenger, score through the Cladfy API, import loan outcomes from a
 * CSV file, and read the model's performance.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/databases.js';
import { ROOT, type RunningServer, runCli, startServer } from '../helpers/processes.js';

for (const engine of ENGINES) {
  describe(`model lifecycle on ${engine}`, () => {
    let db: TestDatabase;
    let server: RunningServer;
    let key: string;
    const cli = (...args: string[]) => runCli(args, db.env);
    const file = (name: string, text?: string) => {
      const p = path.join(db.dir, name);
      if (text !== undefined) fs.writeFileSync(p, text);
      return p;
    };

    beforeAll(async () => {
      db = await createTestDatabase(engine);
      expect(cli('tenant', 'create', 'lender', '--json').status).toBe(0);
      key = cli('key', 'create', '--tenant', 'lender', '--json').json().key;
      server = await startServer(db.env);
    });
    afterAll(async () => {
      await server?.stop();
      await db?.drop();
    });

    it('imports a trained card as champion and another as challenger, without naming the only tenant', () => {
      const train = (out: string, extra: string[]) =>
        cli(
          'train',
          '--data',
          path.join(ROOT, 'data/credit_data.csv'),
          '--target',
          'Status',
          '--include',
          'Seniority,Home,Job,Marital,Age',
          '--missing-bins',
          'neutral',
          '--out',
          file(out),
          ...extra,
          '--json',
        );
      expect(train('champion.json', []).status).toBe(0);
      expect(train('challenger.json', ['--pdo', '40', '--name', 'Challenger']).status).toBe(0);
      const champion = cli(
        'model',
        'import',
        file('champion.json'),
        '--service',
        'demographic_score',
        '--activate',
        '--json',
      );
      expect(champion.status, champion.stdout).toBe(0);
      expect(champion.json()).toMatchObject({ version: 1, roles: ['champion'], created: true });
      const challenger = cli('model', 'import', file('challenger.json'), '--challenger', '--json');
      expect(challenger.json()).toMatchObject({ version: 2, roles: ['challenger'] });
      const invalid = file('invalid.json', JSON.stringify({ format: 'credence.scorecard/v1', name: 'x' }));
      const refused = cli('model', 'import', invalid, '--activate', '--json');
      expect(refused.status).toBe(1);
      expect(refused.json().error.code).toBe('CREDENCE_INVALID_MODEL');
      const models = cli('model', 'list', '--service', 'demographic_score', '--json').json().models;
      expect(models.filter((m: { tenant_id: string | null }) => m.tenant_id !== null)).toHaveLength(2);
    });

    it('scores with the champion, records outcomes from CSV, and reports performance for both', async () => {
      const models = cli('model', 'list', '--service', 'demographic_score', '--json').json().models as {
        id: string;
        roles: string[];
      }[];
      const champion = models.find((m) => m.roles.includes('champion'))!.id;
      const challenger = models.find((m) => m.roles.includes('challenger'))!.id;
      const rows = fs
        .readFileSync(path.join(ROOT, 'data/credit_data.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1, 201);
      const outcomes = ['partner_id,loan_id,status,days_past_due,observed_at'];
      for (const [i, line] of rows.entries()) {
        const f = line.split(',').map((v) => v.replace(/"/g, ''));
        // The card reads the data's own column names, which the request carries as attributes.
        const body = {
          client_id: `c-${i}`,
          Seniority: Number(f[1]),
          Home: f[2],
          Age: Number(f[4]),
          Marital: f[5],
          Job: f[7],
        };
        const res = await fetch(`${server.url}/cladfy/v1/demographic_score/`, {
          method: 'POST',
          headers: { 'x-api-key': key, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(200);
        const answer = (await res.json()) as Record<string, unknown>;
        expect(JSON.stringify(answer)).not.toContain(challenger);
        const bad = f[0] === 'bad';
        outcomes.push(
          `c-${i},L-${i},${bad ? 'default' : 'paid'},${bad ? 120 : 0},${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}`,
        );
      }

      const broken = file(
        'broken-outcomes.csv',
        `${outcomes.slice(0, 3).join('\n')}\nc-9,L-9,bankrupt,0,2024-01-01\n`,
      );
      const refused = cli('outcomes', 'import', broken, '--json');
      expect(refused.status).toBe(1);
      expect(refused.json().error.message).toBe(
        `${broken} line 4, column "status": status of a loan outcome must be one of: current, paid, arrears, default, written_off`,
      );
      const imported = cli('outcomes', 'import', file('outcomes.csv', `${outcomes.join('\n')}\n`), '--json');
      expect(imported.status, imported.stdout).toBe(0);
      expect(imported.json()).toMatchObject({ rows: 200, stored: 200, duplicates: 0 });

      const perf = (id: string) => {
        const r = cli('model', 'performance', id, '--json');
        expect(r.status, r.stdout).toBe(0);
        return r.json();
      };
      const p = perf(champion);
      expect(p.runs).toEqual({ champion: 200, challenger: 0 });
      expect(p.subjects).toBe(200);
      expect(p.goods + p.bads).toBe(200);
      expect(p.bads).toBeGreaterThan(20);
      // The card's five characteristics still separate the real outcomes of these applicants.
      expect(p.discrimination.auc).toBeGreaterThan(0.6);
      expect(p.bands).toHaveLength(10);
      expect(p.stability.psi.verdict).toMatch(/^(stable|watch|shift)$/);
      const shadow = perf(challenger);
      expect(shadow.runs).toEqual({ champion: 0, challenger: 200 });
      expect(shadow.discrimination.auc).toBeCloseTo(p.discrimination.auc, 1);

      const human = cli('model', 'performance', champion);
      expect(human.stdout).toContain('200 runs as champion');
      expect(human.stdout).toContain('PSI of the last 30 days');
    });

    it('ends the challenge from the command line, and refuses to deactivate the champion', () => {
      const models = cli('model', 'list', '--service', 'demographic_score', '--json').json().models as {
        id: string;
        roles: string[];
      }[];
      const challenger = models.find((m) => m.roles.includes('challenger'))!.id;
      const champion = models.find((m) => m.roles.includes('champion'))!.id;
      const ended = cli('model', 'deactivate', challenger, '--json');
      expect(ended.status, ended.stdout).toBe(0);
      expect(ended.json()).toMatchObject({ id: challenger, roles: [] });
      const refused = cli('model', 'deactivate', champion, '--json');
      expect(refused.status).toBe(1);
      expect(refused.json().error).toMatchObject({ code: 'CREDENCE_CONFLICT' });
      const after = cli('model', 'list', '--service', 'demographic_score', '--json').json().models as {
        id: string;
        roles: string[];
      }[];
      expect(after.find((m) => m.id === champion)!.roles).toEqual(['champion']);
      expect(after.some((m) => m.roles.includes('challenger'))).toBe(false);
    });
  });
}
