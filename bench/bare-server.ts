/**
 * The baseline: a bare Fastify route that returns a fixed JSON body, nothing else. Each HTTP
 * benchmark gives it, in `BENCH_BARE_BODY` (JSON text), a copy of one of the measured route's own
 * answers, so that both routes send the same bytes and the comparison measures the route's work,
 * not the size of its vendor's format. Without it, the body is a Cladfy-shaped answer.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const body: unknown = process.env.BENCH_BARE_BODY
  ? JSON.parse(process.env.BENCH_BARE_BODY)
  : {
      client_id: '12345',
      score: 612,
      max_score: 742,
      missing_attributes: ['education'],
      extra_attributes: [],
    };
app.post('/bare', async () => body);
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
