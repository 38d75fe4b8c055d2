/**
 * The CatalogStore contract against the in-memory fake and against mongoose on the run's store
 * (the embedded server, or a real MongoDB when MONGODB_URI is set): a fresh database per case.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { MongoCatalogStore } from '../../src/adapters/mongo/mongo-catalog-store.adapter';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { catalogStoreContract } from '../contracts/catalog-store.contract';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';

catalogStoreContract('InMemoryCatalogStore', async () => ({ store: new InMemoryCatalogStore(), close: async () => {} }));

let base: Connection | undefined;
afterAll(async () => base?.close());

catalogStoreContract('MongoCatalogStore (mongoose)', async () => {
  base ??= await connectMongo(process.env.MONGODB_URI!, `catalog_contract_${randomUUID().slice(0, 8)}`);
  const conn = base.useDb(`catalog_contract_${randomUUID().replace(/-/g, '').slice(0, 12)}`, { useCache: false });
  return {
    store: new MongoCatalogStore(conn, { batchSize: 2 }), // tiny batches: several bulk writes per case
    close: async () => {
      await conn.dropDatabase().catch(() => undefined);
    },
  };
});
