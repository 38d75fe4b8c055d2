/** "create repo" previews in `repo_requests`. */
import type { Connection } from 'mongoose';
import type { PendingRepoRequest, RepoRequestStore } from '../../domain/repos/repo-request-store.port';
import { MongoPendingRequestStore } from './mongo-pending-request-store.adapter';

export class MongoRepoRequestStore extends MongoPendingRequestStore<PendingRepoRequest> implements RepoRequestStore {
  constructor(conn: Connection) {
    super(conn, 'RepoRequest', 'repo_requests');
  }
}
