/** "create repo" previews in `repo_requests`. */
import type { Connection } from 'mongoose';
import type { PendingRepoRequest, RepoRequestStore } from '../../domain/repos/repo-request-store.port';
import { defineModel } from './model-definition';
import { MongoPendingRequestStore, pendingRequestSchema, type StoredDoc } from './mongo-pending-request-store.adapter';

export const repoRequestModel = defineModel<StoredDoc>('RepoRequest', pendingRequestSchema('repo_requests'));

export class MongoRepoRequestStore extends MongoPendingRequestStore<PendingRepoRequest> implements RepoRequestStore {
  constructor(conn: Connection) {
    super(conn, repoRequestModel);
  }
}
