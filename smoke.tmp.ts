import { startEmbeddedMongo } from './src/sandbox/embedded-mongo';
import { connectMongo } from './src/adapters/mongo/mongo-connection';
import { MongoCatalogStore } from './src/adapters/mongo/mongo-catalog-store.adapter';
import type { CatalogEntityInput } from './src/domain/catalog/catalog.types';
const ent = (i: number, loc: string, h = 'h'): CatalogEntityInput => ({ ref: `component:default/svc-${i}`, kind: 'Component', namespace: 'default', name: `svc-${i}`, title: `Service ${i}`, tags: ['a'], aliases: [], relations: [{ type: 'ownedBy', target: 'group:default/team-a' }], contacts: {}, links: [{ url: 'https://grafana.contoso.example/x', title: 'Grafana', type: 'dashboard' }], source: { pipelines: [] }, members: [], location: loc, sourceHash: h + i, description: 'x'.repeat(300) });
(async () => {
  const mongo = await startEmbeddedMongo();
  const conn = await connectMongo(mongo.uri, 'smoke');
  const store = new MongoCatalogStore(conn);
  let t = Date.now();
  for (let f = 0; f < 20; f++) {
    const r = await store.applyLocations([{ location: `file:/f${f}`, entities: Array.from({ length: 1000 }, (_, i) => ent(f * 1000 + i, `file:/f${f}`)) }]);
    if (f % 5 === 0) console.log(f, r[0], Date.now() - t);
  }
  console.log('20k insert ms', Date.now() - t, 'writes', store.stats.writes);
  t = Date.now();
  const rr = await store.applyLocations(Array.from({ length: 20 }, (_, f) => ({ location: `file:/f${f}`, entities: Array.from({ length: 1000 }, (_, i) => ent(f * 1000 + i, `file:/f${f}`)) })));
  console.log('re-apply ms', Date.now() - t, rr[0], 'writes', store.stats.writes);
  // collision: another location declares svc-1 with different hash
  console.log(await store.applyLocation('file:/other', [ent(1, 'file:/other', 'z'), ent(999999, 'file:/other')]));
  console.log(await store.applyLocation('file:/other2', [ent(1, 'file:/other2', 'h')]));
  // updates
  t = Date.now();
  console.log(await store.applyLocation('file:/f0', Array.from({ length: 10 }, (_, i) => ent(i, 'file:/f0', 'new'))), Date.now() - t);
  console.log(await store.currentRevision(), (await store.changedSince(20000, 3)).map((e) => [e.ref, e.revision, e.status]));
  t = Date.now();
  await store.recordDeployment('component:default/svc-5', { environment: 'prod', version: '1.0', status: 'succeeded', deployedAt: new Date() });
  console.log('deploy ms', Date.now() - t, (await store.get('component:default/svc-5'))?.deployments);
  await conn.close(); await mongo.stop();
})();
