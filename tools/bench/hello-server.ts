/**
 * The ceiling: a bare Fastify hello-world on the same machine. Every figure of
 * the bench is read against this one.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', (_request, reply) => reply.send({ hello: 'world' }));
app.listen({ host: '127.0.0.1', port: 0 }).then(
  (url) => process.stdout.write(`ready ${url}\n`),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
