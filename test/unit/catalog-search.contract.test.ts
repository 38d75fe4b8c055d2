/** The CatalogSearch contract on InMemoryCatalogSearch: built from the store, and restored from the snapshot another replica saved. */
import { InMemoryCatalogSearch } from '../../src/adapters/catalog-index/in-memory-catalog-search';
import { catalogSearchContract } from '../contracts/catalog-search.contract';
import { InMemoryIndexSnapshotStore } from '../fakes/in-memory-index-snapshot-store';

catalogSearchContract('InMemoryCatalogSearch built from the store', async (store) => {
  const search = new InMemoryCatalogSearch(store);
  await search.start();
  return search;
});

catalogSearchContract('InMemoryCatalogSearch restored from a snapshot', async (store) => {
  const snapshots = new InMemoryIndexSnapshotStore();
  const builder = new InMemoryCatalogSearch(store, { snapshots });
  await builder.start();
  await builder.flush(); // its snapshot is saved
  const restored = new InMemoryCatalogSearch(store, { snapshots });
  const update = await restored.start();
  if (!update.restored || snapshots.reads !== 1) throw new Error(`expected a restored index, got ${JSON.stringify(update)}`);
  return restored;
});
