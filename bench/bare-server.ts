/** The baseline: a bare Fastify route that returns a fixed JSON body, nothing else. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const body = {
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
