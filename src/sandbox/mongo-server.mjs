// The sandbox's MongoDB-wire-compatible store (CongoDB from @push.rocks/smartmongo, ESM only),
// run in its own process: it is started with fork() and reports { uri } over IPC. It persists to
// DATA_DIR (when given) every few seconds and on exit, and stops when its parent goes away.
// Usage: node mongo-server.mjs [--port N] [--persist FILE]
import net from 'node:net';
import { congodb } from '@push.rocks/smartmongo';

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

// port 0 gives a URI the driver rejects (FINDINGS.md): ask the OS for a free port first.
async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const port = Number(arg('port') ?? 0) || (await freePort());
const persistPath = arg('persist');
const server = new congodb.CongoServer({
  port,
  host: '127.0.0.1',
  storage: 'memory',
  ...(persistPath ? { persistPath, persistIntervalMs: Number(arg('persist-interval-ms') ?? 5000) } : {}),
});
await server.start();
const uri = `mongodb://127.0.0.1:${port}/?serverMonitoringMode=poll&directConnection=true`;

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop(); // persists when persistPath is set
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
if (process.send) process.send({ uri });
else console.log(JSON.stringify({ uri }));
