/**
 * WorkloadIdentities in memory, answering as GraphWorkloadIdentities does against Graph (the
 * contract suite checks both): client id -> service principal object id, in any case; a client id
 * that is not a GUID is nobody's. A test can make the next call(s) fail (`failNext`).
 */
import type { WorkloadIdentities } from '../../src/domain/secrets/role-assignments.port';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class InMemoryWorkloadIdentities implements WorkloadIdentities {
  readonly calls: string[] = [];
  private readonly byClientId = new Map<string, string>();
  private readonly failures: unknown[] = [];

  constructor(workloads: { clientId: string; principalId: string }[] = []) {
    for (const w of workloads) this.add(w);
  }

  add(workload: { clientId: string; principalId: string }): void {
    this.byClientId.set(workload.clientId.toLowerCase(), workload.principalId);
  }

  /** The next call rejects with `error`. */
  failNext(error: unknown): void {
    this.failures.push(error);
  }

  async principalIdOf(clientId: string): Promise<string | null> {
    this.calls.push(clientId);
    if (this.failures.length) throw this.failures.shift();
    const appId = clientId.trim().toLowerCase();
    return GUID.test(appId) ? (this.byClientId.get(appId) ?? null) : null;
  }
}
