/**
 * Previewed "create repo" requests waiting for the requester's Confirm or Cancel. Kept in the
 * shared store (not in dialog state) so any replica can handle the click, whenever it comes.
 */
import type { RepoPreview } from './repo-preview';
import type { RepoRequest } from './repo-request';
import type { SkeletonOwner } from './skeleton/skeleton.types';

export type PendingRequestStatus = 'pending' | 'confirmed' | 'cancelled';

export interface PendingRepoRequest {
  id: string;
  status: PendingRequestStatus;
  /** Validated, with the canonical project and team names. */
  request: RepoRequest;
  /** The owning team as the catalog describes it (README, CODEOWNERS, catalog-info.yaml). */
  owner: SkeletonOwner;
  /** The requester's Teams channel id (29:...): the card's refresh shows the buttons to them only. */
  requesterChannelId?: string;
  preview: RepoPreview;
  createdAt: Date;
  updatedAt: Date;
  /** Who confirmed or cancelled it (always the requester). */
  decidedBy?: string;
}

export type NewPendingRepoRequest = Omit<PendingRepoRequest, 'id'>;

export interface RepoRequestStore {
  insert(request: NewPendingRepoRequest): Promise<PendingRepoRequest>;
  /** Null for an unknown or malformed id. */
  get(id: string): Promise<PendingRepoRequest | null>;
  /** Moves the request from `from` to `to` in one conditional write; null when it was not in `from`. */
  transition(id: string, from: PendingRequestStatus, to: PendingRequestStatus, by: string, at: Date): Promise<PendingRepoRequest | null>;
}
