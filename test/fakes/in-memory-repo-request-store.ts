/** PendingRequestStore in memory: each method runs without an await, as atomic as one conditional update. */
import { randomBytes } from 'node:crypto';
import type { PendingRecord, PendingRequestStatus, PendingRequestStore } from '../../src/domain/requests/pending-request-store.port';
import type { PendingPipelineRequest } from '../../src/domain/repos/pipeline-request-store.port';
import type { PendingRepoRequest } from '../../src/domain/repos/repo-request-store.port';

export class InMemoryPendingRequestStore<R extends PendingRecord> implements PendingRequestStore<R> {
  readonly requests = new Map<string, R>();

  async insert(request: Omit<R, 'id'>): Promise<R> {
    const stored = structuredClone({ ...request, id: randomBytes(12).toString('hex') }) as R;
    this.requests.set(stored.id, stored);
    return structuredClone(stored);
  }

  async get(id: string): Promise<R | null> {
    const found = this.requests.get(id);
    return found ? structuredClone(found) : null;
  }

  async transition(id: string, from: PendingRequestStatus, to: PendingRequestStatus, by: string, at: Date): Promise<R | null> {
    const found = this.requests.get(id);
    if (!found || found.status !== from) return null;
    Object.assign(found, { status: to, decidedBy: by, updatedAt: at });
    return structuredClone(found);
  }
}

export class InMemoryRepoRequestStore extends InMemoryPendingRequestStore<PendingRepoRequest> {}
export class InMemoryPipelineRequestStore extends InMemoryPendingRequestStore<PendingPipelineRequest> {}
