/**
 * Nothing acknowledged is lost: run the real server, load it with scoring requests, SIGKILL it
 * mid-load, restart it, and check that every request that got a 200 is in client_data.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/databases.js';
import { startServer } from '../helpers/processes.js';

for (const engine of ENGINES) {
  describe(`crash durability on ${engine}`, () => {
    const dbs: TestDatabase[] = [];
    afterAll(async () => {
      for (const d of dbs) await d.drop();
    });

    it('keeps every acknowledged scoring request across a SIGKILL', async () => {
      const db = await createTestDatabase(engine);
      dbs.push(db);
      const ctx = await createContext(db.config);
      await ctx.tenants.create('acme');
      const { key } = await ctx.apiKeys.create({ tenant: 'acme' });
      await ctx.close();

      const server = await startServer(db.env);
      const acknowledged: { clientId: string; seq: number }[] = [];
      let sent = 0;
      let stop = false;
      const worker = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const body = {
            client_id: `crash-${w}`,
            startDate: '2024-01-01',
            endDate: '2024-03-31',
            expectedDepositDay: '5',
            expectedDepositAmount: 100,
            deposits: [],
            seq: i,
          };
          sent++;
          try {
            const res = await fetch(`${server.url}/cladfy/v1/deposit_score/`, {
              method: 'POST',
              headers: { 'x-api-key': key, 'content-type': 'application/json' },
              body: JSON.stringify(body),
            });
            if (res.status === 200) acknowledged.push({ clientId: body.client_id, seq: i });
            else await res.text();
          } catch {
            return; // the server is gone
          }
        }
      };
      const workers = Array.from({ length: 16 }, (_, w) => worker(w));
      // Kill it while requests are in flight.
      while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 10));
      // The workers keep sending until the process is gone, so it dies under load.
      server.child.kill('SIGKILL');
      await server.stop();
      stop = true;
      await Promise.all(workers);
      expect(acknowledged.length).toBeGreaterThanOrEqual(300);
      expect(sent).toBeGreaterThan(acknowledged.length);

      const again = await startServer(db.env);
      try {
        const stored = new Map<string, Set<number>>();
        for (let w = 0; w < 16; w++) {
          const res = await fetch(
            `${again.url}/cladfy/v1/client_data/?client_id=crash-${w}&service=deposit_score`,
            {
              headers: { 'x-api-key': key },
            },
          );
          expect(res.status).toBe(200);
          const entries = (await res.json()) as { client_data: { seq: number } }[];
          stored.set(`crash-${w}`, new Set(entries.map((e) => e.client_data.seq)));
        }
        const lost = acknowledged.filter((a) => !stored.get(a.clientId)!.has(a.seq));
        expect(lost).toEqual([]);
      } finally {
        await again.stop();
      }
    });
  });
}
