/** The query service over the hand-written retail catalog (test/fixtures/retail-catalog.ts), indexed in memory. */
import { InMemoryCatalogSearch } from '../../src/adapters/catalog-index/in-memory-catalog-search';
import { CatalogQueryService } from '../../src/domain/catalog/catalog-query.service';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { RETAIL_LOCATION, retailCatalog } from '../fixtures/retail-catalog';

export async function retailService(): Promise<{ service: CatalogQueryService; index: InMemoryCatalogSearch; store: InMemoryCatalogStore }> {
  const store = new InMemoryCatalogStore();
  await store.applyLocation(RETAIL_LOCATION, retailCatalog());
  const index = new InMemoryCatalogSearch(store);
  await index.build();
  return { service: new CatalogQueryService({ index, now: () => new Date('2026-06-01T12:00:00Z') }), index, store };
}
