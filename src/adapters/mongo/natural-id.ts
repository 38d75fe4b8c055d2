import { createHash } from 'node:crypto';
import { Types } from 'mongoose';

/**
 * A stable ObjectId for a natural key (96 bits of sha256). `_id` is the one uniqueness every
 * MongoDB-compatible server enforces (the embedded test server ignores other unique indexes), so
 * two replicas writing the same key meet on one document.
 */
export const naturalId = (key: string): Types.ObjectId => new Types.ObjectId(createHash('sha256').update(key).digest().subarray(0, 12));
