/**
 * The catalog's revision counter: one document in `catalog_meta`, advanced with a single atomic
 * `$inc` per write batch (a block of revisions reserved at once, never one round trip per entity).
 */
import type { Model } from 'mongoose';
import { metaId, type CatalogMetaDoc } from './catalog-models';

const KEY = 'revision';

export class RevisionCounter {
  private readonly id = metaId(KEY);
  private ready?: Promise<void>;

  constructor(private readonly model: Model<CatalogMetaDoc>) {}

  /** Reserves `n` revisions and returns the first; the block is [first, first + n - 1]. */
  async reserve(n: number): Promise<number> {
    if (n <= 0) throw new Error('reserve needs a positive count');
    for (let attempt = 0; attempt < 2; attempt++) {
      await this.ensure();
      const doc = await this.model.findOneAndUpdate({ _id: this.id }, { $inc: { value: n } }, { returnDocument: 'after', projection: { value: 1 } }).lean();
      if (doc?.value !== undefined) return doc.value - n + 1;
      this.ready = undefined; // the document went away (dropped database): create it again
    }
    throw new Error('The catalog revision counter could not be created');
  }

  async current(): Promise<number> {
    const doc = await this.model.findOne({ _id: this.id }, { value: 1 }).lean();
    return doc?.value ?? 0;
  }

  // Created once with $setOnInsert (no upsert on the $inc path: a racing upsert could insert twice on the test store).
  private ensure(): Promise<void> {
    this.ready ??= this.model
      .updateOne({ _id: this.id }, { $setOnInsert: { key: KEY, value: 0 } }, { upsert: true })
      .then(() => undefined)
      .catch(async (e: unknown) => {
        // A concurrent creator won (duplicate _id): fine if the document is there now.
        if (await this.model.exists({ _id: this.id })) return;
        this.ready = undefined;
        throw e;
      });
    return this.ready;
  }
}
