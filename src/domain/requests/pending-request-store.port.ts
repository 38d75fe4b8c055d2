/**
 * Requests previewed in chat and waiting for the requester's Confirm or Cancel (create repo, add
 * pipeline; approvals next). Kept in the shared store, not in dialog state, so any replica can
 * handle the click, whenever it comes. A status change is one conditional write: of two racing
 * clicks exactly one wins.
 */
export type PendingRequestStatus = 'pending' | 'confirmed' | 'cancelled';

export interface PendingRecord {
  id: string;
  status: PendingRequestStatus;
  createdAt: Date;
  updatedAt: Date;
  /** Who confirmed or cancelled it. */
  decidedBy?: string;
}

export interface PendingRequestStore<R extends PendingRecord> {
  insert(request: Omit<R, 'id'>): Promise<R>;
  /** Null for an unknown or malformed id. */
  get(id: string): Promise<R | null>;
  /** Moves the request from `from` to `to` in one conditional write; null when it was not in `from`. */
  transition(id: string, from: PendingRequestStatus, to: PendingRequestStatus, by: string, at: Date): Promise<R | null>;
}
