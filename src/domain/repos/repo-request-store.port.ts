/** Previewed "create repo" requests waiting for the requester's Confirm or Cancel. */
import type { PendingRecord, PendingRequestStore } from '../requests/pending-request-store.port';
import type { RepoPreview } from './repo-preview';
import type { RepoRequest } from './repo-request';
import type { SkeletonOwner } from './skeleton/skeleton.types';

export type { PendingRequestStatus } from '../requests/pending-request-store.port';

export interface PendingRepoRequest extends PendingRecord {
  /** Validated, with the canonical project and team names. */
  request: RepoRequest;
  /** The owning team as the catalog describes it (README, CODEOWNERS, catalog-info.yaml). */
  owner: SkeletonOwner;
  /** The requester's Teams channel id (29:...): the card's refresh shows the buttons to them only. */
  requesterChannelId?: string;
  preview: RepoPreview;
}

export type NewPendingRepoRequest = Omit<PendingRepoRequest, 'id'>;

export type RepoRequestStore = PendingRequestStore<PendingRepoRequest>;
