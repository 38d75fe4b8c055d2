/** RepoRequestStore in memory: each method runs without an await, as atomic as one conditional update. */
import { randomBytes } from 'node:crypto';
import type { NewPendingRepoRequest, PendingRepoRequest, PendingRequestStatus, RepoRequestStore } from '../../src/domain/repos/repo-request-store.port';

export class InMemoryRepoRequestStore implements RepoRequestStore {
  readonly requests = new Map<string, PendingRepoRequest>();

  async insert(request: NewPendingRepoRequest): Promise<PendingRepoRequest> {
    const stored = structuredClone({ ...request, id: randomBytes(12).toString('hex') });
    this.requests.set(stored.id, stored);
    return structuredClone(stored);
  }

  async get(id: string): Promise<PendingRepoRequest | null> {
    const found = this.requests.get(id);
    return found ? structuredClone(found) : null;
  }

  async transition(id: string, from: PendingRequestStatus, to: PendingRequestStatus, by: string, at: Date): Promise<PendingRepoRequest | null> {
    const found = this.requests.get(id);
    if (!found || found.status !== from) return null;
    Object.assign(found, { status: to, decidedBy: by, updatedAt: at });
    return structuredClone(found);
  }
}
