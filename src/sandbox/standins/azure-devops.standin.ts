/**
 * Azure DevOps Services on loopback: the REST routes, JSON shapes, status codes and discovery that
 * azure-devops-node-api 17 uses, against `http://127.0.0.1:PORT/{org}` as the collection URL.
 * Stateful and in memory (core projects, Git repositories with real commits/refs/pushes, pull
 * requests, policy configurations, build definitions and builds, environments with approval
 * checks, variable groups (Key Vault-linked ones too) and service connections, user entitlements with project group memberships); the base class adds the request
 * log, fault injection and `GET /_standin/state` (a snapshot of everything held), and with
 * `keepStateIn` everything survives a restart (the sandbox keeps it under DATA_DIR).
 * User entitlements are served on a second host (`entitlementsHost`, the service's `vsaex` host),
 * started and stopped with this one.
 */
import type { DemoProject } from '../seed/demo-org';
import { DEMO_PRINCIPALS } from '../seed/demo-entitlements';
import { StandInServer } from './standin-server';
import { registerBuildRoutes } from './azure-devops/build-routes';
import { registerCoreRoutes } from './azure-devops/core-routes';
import { registerDeploymentRoutes } from './azure-devops/deployment-routes';
import { registerEntitlementRoutes } from './azure-devops/entitlement-routes';
import type { EntitlementSeed, OrgPrincipal } from './azure-devops/entitlement-state';
import { EntitlementsHost } from './azure-devops/entitlements-host';
import { registerGitItemRoutes } from './azure-devops/git-items-routes';
import { registerGitPolicyRoutes } from './azure-devops/git-policy-routes';
import { registerGitRoutes } from './azure-devops/git-routes';
import { registerPolicyRoutes } from './azure-devops/policy-routes';
import { registerPullRequestRoutes } from './azure-devops/pull-request-routes';
import { AdoRouter } from './azure-devops/router';
import { restoreAdoState, saveAdoState } from './azure-devops/saved-state';
import { AdoShapes } from './azure-devops/shapes';
import { AdoState, type ServiceEndpointSeed } from './azure-devops/state';
import { registerVariableGroupRoutes } from './azure-devops/variable-group-routes';
import { StateFile } from './state-file';

export interface AzureDevOpsSeed {
  org: string;
  projects: DemoProject[];
  /** Who the organisation's directory resolves; default: the demo directory's users. */
  principals?: OrgPrincipal[];
  /** Who is in the organisation at the start; default: nobody. */
  entitlements?: EntitlementSeed[];
  /**
   * Loopback address of the entitlements host; default: the main host's. A different one
   * (127.0.0.2) makes it a different origin by host name too, as vsaex.dev.azure.com is.
   */
  entitlementsHostname?: string;
  /** Service connections; default: DEMO_SERVICE_CONNECTIONS (an Azure Resource Manager one in every project). */
  serviceEndpoints?: ServiceEndpointSeed[];
}

/** The sandbox's service connection for Key Vault-linked variable groups, shared with every project. */
export const DEMO_SERVICE_CONNECTIONS: ServiceEndpointSeed[] = [{ id: '5c0e0000-0000-4000-8000-00000000a2e1', name: 'azure-key-vault', type: 'azurerm' }];

export class AzureDevOpsStandIn extends StandInServer {
  /** The live state; tests in the same process may read it (HTTP callers use GET /_standin/state). */
  readonly state: AdoState;
  /** The `vsaex` host: user entitlements. Its own request log and faults. */
  readonly entitlementsHost: EntitlementsHost;
  /** The port the entitlements host prefers (any free one when taken); set before start. */
  entitlementsPort?: number;
  private readonly entitlementsHostname?: string;

  constructor(seed: AzureDevOpsSeed) {
    // The base serves the snapshot through a callback given before `this` exists.
    const holder: { state?: AdoState } = {};
    super('azure-devops', undefined, () => holder.state?.snapshot() ?? {});
    this.state = holder.state = new AdoState(seed.org, seed.projects, seed.principals ?? DEMO_PRINCIPALS, seed.entitlements ?? [], seed.serviceEndpoints ?? DEMO_SERVICE_CONNECTIONS);

    const shapes = new AdoShapes(this.state, () => this.baseUrl);
    const router = new AdoRouter(this, this.state);
    for (const register of [registerCoreRoutes, registerGitRoutes, registerGitItemRoutes, registerPullRequestRoutes, registerPolicyRoutes, registerGitPolicyRoutes, registerBuildRoutes, registerDeploymentRoutes, registerVariableGroupRoutes]) {
      register(router, this.state, shapes);
    }
    this.entitlementsHostname = seed.entitlementsHostname;
    this.entitlementsHost = new EntitlementsHost(this, () => this.state.snapshot());
    registerEntitlementRoutes(new AdoRouter(this.entitlementsHost, this.state), this.state, () => this.entitlementsHost.baseUrl);
  }

  override async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const url = await super.start(port, host);
    try {
      await this.entitlementsHost.startPreferring(this.entitlementsPort, this.entitlementsHostname ?? host);
    } catch (e) {
      await super.close();
      throw e;
    }
    return url;
  }

  override async close(): Promise<void> {
    await Promise.all([this.entitlementsHost.close(), super.close()]);
  }

  /** Secret variables' values never reach the request log (plain ones stay: they are what a test checks). */
  protected override redactForLog(_method: string, path: string, body: unknown): unknown {
    if (!/\/variablegroups/i.test(path) || !body || typeof body !== 'object') return body;
    const variables = (body as { variables?: unknown }).variables;
    if (!variables || typeof variables !== 'object') return body;
    const safe = Object.fromEntries(Object.entries(variables as Record<string, { isSecret?: unknown; value?: unknown }>).map(([k, v]) => [k, v?.isSecret === true && v.value != null ? { ...v, value: '[redacted]' } : v]));
    return { ...body, variables: safe };
  }

  /** Keeps the state in `file` across restarts; true when an earlier run's state replaced the seed. */
  keepStateIn(file: string): boolean {
    return this.persistIn(new StateFile(file), () => saveAdoState(this.state), (saved) => restoreAdoState(this.state, saved));
  }

  /** What clients take as the organisation URL, e.g. http://127.0.0.1:PORT/contoso. */
  get collectionUrl(): string {
    return `${this.baseUrl}/${this.state.org}`;
  }

  /** The entitlements host's organisation URL (what https://vsaex.dev.azure.com/contoso is in Azure). */
  get entitlementsUrl(): string {
    return `${this.entitlementsHost.baseUrl}/${this.state.org}`;
  }
}
