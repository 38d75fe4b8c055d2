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
const server = new congodb.CongoServer({ port, host: '127.0.0.1', storage: 'memory', ...(persistPath ? { persistPath } : {}) });
await server.start();

// The server's own persistence rewrites the whole store on every tick, changed or not (seconds of
// CPU with a 100k-entity catalog). Persist only after a write instead.
if (persistPath) {
  const storage = server.getStorage();
  let dirty = false;
  const MUTATIONS = ['createDatabase', 'dropDatabase', 'createCollection', 'dropCollection', 'renameCollection', 'insertOne', 'insertMany', 'updateById', 'deleteById', 'deleteByIds', 'saveIndex', 'dropIndex'];
  for (const name of MUTATIONS) {
    const original = storage[name]?.bind(storage);
    if (original) storage[name] = (...args) => ((dirty = true), original(...args));
  }
  let persisting = false;
  setInterval(async () => {
    if (!dirty || persisting) return;
    dirty = false;
    persisting = true;
    try {
      await storage.persist();
    } catch (e) {
      dirty = true;
      console.error('store: persist failed', e);
    } finally {
      persisting = false;
    }
  }, Number(arg('persist-interval-ms') ?? 5000)).unref();
}
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
