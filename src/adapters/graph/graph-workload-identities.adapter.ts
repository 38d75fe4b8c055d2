/**
 * WorkloadIdentities over Microsoft Graph v1.0 (app-only, Application.Read.All): a workload
 * identity's client id (the catalog's `azure.workload.identity/client-id`) -> the object id of its
 * service principal, which is what an Azure role assignment names. A client id that is not a GUID
 * is nobody's (and never goes into an OData filter). Found ids are remembered for the process: a
 * service principal keeps its object id; a miss is asked again (a new identity may appear).
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { WorkloadIdentities } from '../../domain/secrets/role-assignments.port';
import { createGraphClient, type GraphClientHandle, type GraphClientOptions } from './graph-client';
import { toDomainError } from './graph-errors';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class GraphWorkloadIdentities implements WorkloadIdentities {
  private readonly handle: GraphClientHandle;
  private readonly client: Client;
  private readonly known = new Map<string, string>();

  constructor(options: GraphClientOptions) {
    this.handle = createGraphClient(options);
    this.client = this.handle.client;
  }

  /** Releases the pooled https connections. */
  close(): void {
    this.handle.close();
  }

  async principalIdOf(clientId: string): Promise<string | null> {
    const appId = clientId.trim().toLowerCase();
    if (!GUID.test(appId)) return null;
    const cached = this.known.get(appId);
    if (cached) return cached;
    let page: { value: { id: string; appId?: string }[] };
    try {
      page = (await this.client.api('/servicePrincipals').filter(encodeURIComponent(`appId eq '${appId}'`)).select('id,appId').get()) as typeof page;
    } catch (e) {
      throw toDomainError(e, "look up a workload identity's service principal (needs Application.Read.All)");
    }
    const found = page.value.find((sp) => sp.appId?.toLowerCase() === appId) ?? page.value[0];
    if (!found) return null;
    this.known.set(appId, found.id);
    return found.id;
  }
}
