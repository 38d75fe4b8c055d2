import { startEmbeddedMongo } from '../src/sandbox/embedded-mongo';
import { connectMongo } from '../src/adapters/mongo/mongo-connection';
import { MongoCatalogStore } from '../src/adapters/mongo/mongo-catalog-store.adapter';
import { CatalogSearchIndex } from '../src/domain/catalog/catalog-search-index';

async function main() {
  const rss = () => (process.memoryUsage().rss / 1048576).toFixed(0);
  const m = process.env.URI ? { uri: process.env.URI, stop: async () => {} } : await startEmbeddedMongo({ persistPath: '/tmp/prof/store/db.json' });
  const conn = await connectMongo(m.uri, 'idp');
  const store = new MongoCatalogStore(conn);
  const bs = Number(process.env.BS ?? 5000);
  let t = performance.now();
  console.log('count', await store.count(), ((performance.now() - t)).toFixed(0), 'ms');
  if (process.env.MODE === 'raw') {
    t = performance.now();
    let n = 0; let first = 0;
    for await (const b of store.streamAll(bs)) { if (!first) first = performance.now() - t; n += b.length; }
    console.log("raw stream", n, (performance.now() - t).toFixed(0), "ms; first batch", first.toFixed(0), "ms; bot cpu", (process.cpuUsage().user/1000).toFixed(0), "ms; rss", rss());
  } else {
    const index = new CatalogSearchIndex(store, { pageSize: bs });
    t = performance.now();
    const u = await index.build();
    console.log('build', u, (performance.now() - t).toFixed(0), 'ms; rss', rss());
    (global as any).gc?.();
    await new Promise((r) => setTimeout(r, 2000));
    console.log('after gc rss', rss(), JSON.stringify(process.memoryUsage()));
    for (const sp of require('node:v8').getHeapSpaceStatistics()) console.log(sp.space_name, (sp.space_size / 1048576).toFixed(0), (sp.space_used_size / 1048576).toFixed(0));
  }
  await conn.close();
  await m.stop?.();
  process.exit(0);
}
main();
