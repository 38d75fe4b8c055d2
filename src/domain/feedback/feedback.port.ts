import type { FeedbackRecord } from './feedback.types';

export interface FeedbackStore {
  /** Inserts unless a record with the same idempotency key exists; returns the stored record. */
  insertOnce(record: FeedbackRecord): Promise<FeedbackRecord>;
  countAll(): Promise<number>;
}
