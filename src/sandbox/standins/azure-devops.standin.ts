/**
 * Azure DevOps Services on loopback: the REST routes, JSON shapes, status codes and discovery that
 * azure-devops-node-api 17 uses, against `http://127.0.0.1:PORT/{org}` as the collection URL.
 * Stateful and in memory (core projects, Git repositories with real commits/refs/pushes, pull
 * requests, policy configurations, build definitions and builds, environments with approval
 * checks, variable groups); the base class adds the request
 * log, fault injection and `GET /_standin/state` (a snapshot of everything held), and with
 * `keepStateIn` everything survives a restart (the sandbox keeps it under DATA_DIR).
 */
import type { DemoProject } from '../seed/demo-org';
import { StandInServer } from './standin-server';
import { registerBuildRoutes } from './azure-devops/build-routes';
import { registerCoreRoutes } from './azure-devops/core-routes';
import { registerDeploymentRoutes } from './azure-devops/deployment-routes';
import { registerGitItemRoutes } from './azure-devops/git-items-routes';
import { registerGitPolicyRoutes } from './azure-devops/git-policy-routes';
import { registerGitRoutes } from './azure-devops/git-routes';
import { registerPolicyRoutes } from './azure-devops/policy-routes';
import { registerPullRequestRoutes } from './azure-devops/pull-request-routes';
import { AdoRouter } from './azure-devops/router';
import { restoreAdoState, saveAdoState } from './azure-devops/saved-state';
import { AdoShapes } from './azure-devops/shapes';
import { AdoState } from './azure-devops/state';
import { StateFile } from './state-file';

export interface AzureDevOpsSeed {
  org: string;
  projects: DemoProject[];
}

export class AzureDevOpsStandIn extends StandInServer {
  /** The live state; tests in the same process may read it (HTTP callers use GET /_standin/state). */
  readonly state: AdoState;

  constructor(seed: AzureDevOpsSeed) {
    // The base serves the snapshot through a callback given before `this` exists.
    const holder: { state?: AdoState } = {};
    super('azure-devops', undefined, () => holder.state?.snapshot() ?? {});
    this.state = holder.state = new AdoState(seed.org, seed.projects);

    const shapes = new AdoShapes(this.state, () => this.baseUrl);
    const router = new AdoRouter(this, this.state);
    for (const register of [registerCoreRoutes, registerGitRoutes, registerGitItemRoutes, registerPullRequestRoutes, registerPolicyRoutes, registerGitPolicyRoutes, registerBuildRoutes, registerDeploymentRoutes]) {
      register(router, this.state, shapes);
    }
  }

  /** Keeps the state in `file` across restarts; true when an earlier run's state replaced the seed. */
  keepStateIn(file: string): boolean {
    return this.persistIn(new StateFile(file), () => saveAdoState(this.state), (saved) => restoreAdoState(this.state, saved));
  }

  /** What clients take as the organisation URL, e.g. http://127.0.0.1:PORT/contoso. */
  get collectionUrl(): string {
    return `${this.baseUrl}/${this.state.org}`;
  }
}
