/**
 * Lease in MongoDB: one `catalog_meta` document `{ key, holder, until }`, claimed with a single
 * conditional findOneAndUpdate (expired, or already ours). The document is created once with
 * $setOnInsert, never upserted on the claim path: a racing upsert could insert a second document
 * on the embedded store, and a duplicate-key error is not a "no".
 */
import type { Connection, Model } from 'mongoose';
import type { Lease } from '../../domain/catalog/lease.port';
import { catalogMetaModel, metaId, type CatalogMetaDoc } from './catalog-models';

export class MongoLease implements Lease {
  private readonly model: Model<CatalogMetaDoc>;
  private readonly id;
  private ready?: Promise<void>;

  constructor(
    conn: Connection,
    private readonly key = 'import-lease',
  ) {
    this.model = catalogMetaModel(conn);
    this.id = metaId(key);
  }

  async tryAcquire(holder: string, ttlMs: number): Promise<boolean> {
    await this.ensure();
    const now = new Date();
    const doc = await this.model
      .findOneAndUpdate(
        { _id: this.id, $or: [{ until: { $lte: now } }, { holder }] },
        { $set: { holder, until: new Date(now.getTime() + ttlMs) } },
        { returnDocument: 'after', projection: { holder: 1 } },
      )
      .lean();
    return doc?.holder === holder;
  }

  async release(holder: string): Promise<void> {
    await this.model.updateOne({ _id: this.id, holder }, { $set: { until: new Date(0) } });
  }

  private ensure(): Promise<void> {
    this.ready ??= this.model
      .updateOne({ _id: this.id }, { $setOnInsert: { key: this.key, holder: null, until: new Date(0) } }, { upsert: true })
      .then(() => undefined)
      .catch(async (e: unknown) => {
        if (await this.model.exists({ _id: this.id })) return; // a concurrent creator won
        this.ready = undefined;
        throw e;
      });
    return this.ready;
  }
}
