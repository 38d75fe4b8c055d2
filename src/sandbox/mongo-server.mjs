// The sandbox's MongoDB-wire-compatible store (CongoDB from @push.rocks/smartmongo, ESM only),
// run in its own process: it is started with fork() and reports { uri } over IPC. It persists to
// DATA_DIR (when given) every few seconds and on exit, and stops when its parent goes away.
// Usage: node mongo-server.mjs [--port N] [--persist FILE]
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { congodb } from '@push.rocks/smartmongo';
import { loadStore, saveStore } from './store-file.mjs';

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

// port 0 gives a URI the driver rejects: ask the OS for a free port first.
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
const server = new congodb.CongoServer({ port, host: '127.0.0.1', storage: 'memory' });
await server.start();
const storage = server.getStorage();

// Persist only after a write (the store's own persistence rewrites everything on every tick), in
// our own file format (store-file.mjs says why). Clients learn the port only once this is loaded.
let dirty = false;
let persisting = Promise.resolve();
const persist = () =>
  (persisting = persisting.then(async () => {
    if (!dirty) return;
    dirty = false;
    try {
      await saveStore(storage, persistPath);
    } catch (e) {
      dirty = true;
      console.error('store: persist failed', e);
    }
  }));
if (persistPath) {
  if (!loadStore(storage, persistPath)) await loadLegacyJson(persistPath);
  const MUTATIONS = ['createDatabase', 'dropDatabase', 'createCollection', 'dropCollection', 'renameCollection', 'insertOne', 'insertMany', 'updateById', 'deleteById', 'deleteByIds', 'saveIndex', 'dropIndex'];
  for (const name of MUTATIONS) {
    const original = storage[name]?.bind(storage);
    if (original) storage[name] = (...args) => ((dirty = true), original(...args));
  }
  setInterval(persist, Number(arg('persist-interval-ms') ?? 5000)).unref();
}

/**
 * A data dir from before store-file.mjs: CongoDB's own db.json next to the new file. Or a db.json
 * in our format, which the catalog CLI wrote before it opened db.bson as `npm start` does.
 */
async function loadLegacyJson(file) {
  const legacy = path.join(path.dirname(file), 'db.json');
  if (!existsSync(legacy)) return;
  try {
    if (loadStore(storage, legacy)) return void (dirty = true);
  } catch {
    // not our format (the header is read first, so nothing was loaded): CongoDB's JSON
  }
  storage.persistPath = legacy;
  await storage.restore();
  storage.persistPath = undefined;
  dirty = true;
}
const uri = `mongodb://127.0.0.1:${port}/?serverMonitoringMode=poll&directConnection=true`;

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    if (persistPath) await persist();
    await server.stop();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
if (process.send) process.send({ uri });
else console.log(JSON.stringify({ uri }));
