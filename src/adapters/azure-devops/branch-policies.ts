/**
 * The golden-path branch policies as Azure DevOps policy configurations, and how to find ours.
 * Type ids are the service's fixed GUIDs (GET {project}/_apis/policy/types lists them). A
 * configuration is ours when its scope names exactly this repository + branch (a project-wide or
 * prefix policy also *applies* to the branch, but it is someone else's to manage). The service
 * has no uniqueness for configurations, so finding first is all that keeps them single.
 */
import type { PolicyConfiguration } from 'azure-devops-node-api/interfaces/PolicyInterfaces';
import type { BranchPolicyKind, BranchPolicySpec } from '../../domain/repos/repository-provisioning.port';
import type { AzureDevOpsConnection } from './azure-devops-connection';
import { ensure } from './ensure';
import { shortBranch } from './git-mapping';
import { CODE_READ, projectNotFound } from './git-writes';

export const POLICY_TYPE_IDS: Record<BranchPolicyKind, string> = {
  'minimum-reviewers': 'fa4e907d-c16b-4a4c-9dfa-4906e5d171dd',
  'build-validation': '0609b952-1397-4640-95ec-e00a01b2c241',
  'comment-resolution': 'c6a1889d-b943-4856-b76f-9e46bb6b0df2',
  'work-item-linking': '40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e',
};

const POLICY_KINDS = Object.keys(POLICY_TYPE_IDS) as BranchPolicyKind[];

/** The PAT scope and the repository permission that creating a policy needs. */
const EDIT_POLICIES = 'Edit policies (Code (Read & write))';

// GitApi in azure-devops-node-api 17 has no method for this documented route (git area,
// "policyConfigurations"), the one that filters by repository and branch server-side.
const GIT_POLICY_CONFIGURATIONS = '2c420070-a0a2-49cc-9639-c9f271c5ff07';

interface ScopeEntry {
  repositoryId?: string | null;
  refName?: string;
  matchKind?: string;
}

/** The configuration body for one kind, scoped to exactly this repository + branch. */
function desiredPolicy(kind: BranchPolicyKind, spec: BranchPolicySpec, repoId: string, refName: string): PolicyConfiguration {
  const scope: ScopeEntry[] = [{ repositoryId: repoId, refName, matchKind: 'Exact' }];
  const settings: Record<BranchPolicyKind, Record<string, unknown>> = {
    'minimum-reviewers': {
      minimumApproverCount: spec.minimumReviewers,
      creatorVoteCounts: spec.creatorVoteCounts,
      allowDownvotes: false,
      resetOnSourcePush: false,
    },
    // validDuration is in minutes (the UI's 12 h default); a push re-queues the build.
    'build-validation': { buildDefinitionId: spec.buildDefinitionId, queueOnSourceUpdateOnly: true, manualQueueOnly: false, displayName: null, validDuration: 720 },
    'comment-resolution': {},
    'work-item-linking': {},
  };
  return { isEnabled: true, isBlocking: true, type: { id: POLICY_TYPE_IDS[kind] }, settings: { ...settings[kind], scope } };
}

/** Ours: the kind's type, not deleted, scoped to exactly repo + branch, and for build validation the same pipeline. */
function isOurs(config: PolicyConfiguration, kind: BranchPolicyKind, spec: BranchPolicySpec, repoId: string, refName: string): boolean {
  if (config.isDeleted || config.type?.id?.toLowerCase() !== POLICY_TYPE_IDS[kind]) return false;
  const settings = (config.settings ?? {}) as { scope?: ScopeEntry[]; buildDefinitionId?: unknown };
  const exact = (settings.scope ?? []).some(
    (s) => s.repositoryId?.toLowerCase() === repoId.toLowerCase() && s.refName === refName && String(s.matchKind ?? 'exact').toLowerCase() === 'exact',
  );
  return exact && (kind !== 'build-validation' || Number(settings.buildDefinitionId) === spec.buildDefinitionId);
}

/**
 * The configurations that apply to repo + branch (optionally of one type), every page; null when
 * the project does not exist. One attempt: the caller wraps it in `conn.call` for retries.
 */
async function listBranchPolicies(conn: AzureDevOpsConnection, project: string, repoId: string, refName: string, typeId?: string): Promise<PolicyConfiguration[] | null> {
  const git = await conn.git();
  const all: PolicyConfiguration[] = [];
  let continuationToken: string | undefined;
  do {
    const query = { repositoryId: repoId, refName, policyType: typeId, continuationToken };
    const { requestUrl, apiVersion } = await git.vsoClient.getVersioningData('7.2-preview.1', 'git', GIT_POLICY_CONFIGURATIONS, { project }, query);
    const res = await git.rest.get<{ value?: PolicyConfiguration[] }>(requestUrl!, git.createRequestOptions('application/json', apiVersion));
    if (res.statusCode === 404) return null;
    all.push(...(res.result?.value ?? []));
    const next = (res.headers as Record<string, unknown>)['x-ms-continuationtoken'];
    continuationToken = typeof next === 'string' && next ? next : undefined;
  } while (continuationToken);
  return all;
}

/** One read for all four kinds; each missing one is then ensured on its own, in parallel. */
export async function ensureBranchPolicySet(
  conn: AzureDevOpsConnection,
  project: string,
  repoId: string,
  refName: string,
  spec: BranchPolicySpec,
): Promise<{ created: BranchPolicyKind[]; existing: BranchPolicyKind[] }> {
  const list = (typeId?: string) =>
    conn.call({ operation: 'read branch policies', permission: CODE_READ, project }, async () => {
      const configs = await listBranchPolicies(conn, project, repoId, refName, typeId);
      if (!configs) throw projectNotFound(project);
      return configs;
    });
  const current = await list();
  const settled = await Promise.allSettled(
    POLICY_KINDS.map(async (kind) => {
      if (current.some((c) => isOurs(c, kind, spec, repoId, refName))) return { kind, created: false };
      let firstFind = true; // the read above already answered it: missing
      const { created } = await ensure(conn.policy, { operation: `set the "${kind}" policy on "${shortBranch(refName)}"`, permission: EDIT_POLICIES, project }, {
        find: async () => {
          if (firstFind) {
            firstFind = false;
            return undefined;
          }
          return (await list(POLICY_TYPE_IDS[kind])).find((c) => isOurs(c, kind, spec, repoId, refName));
        },
        create: async () => {
          const config = await (await conn.policyApi()).createPolicyConfiguration(desiredPolicy(kind, spec, repoId, refName), project);
          if (!config) throw projectNotFound(project);
          return config;
        },
      });
      return { kind, created };
    }),
  );
  // Every create has finished before we answer, so a retry of the step never races one still in flight.
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const results = settled.map((r) => (r as PromiseFulfilledResult<{ kind: BranchPolicyKind; created: boolean }>).value);
  return { created: results.filter((r) => r.created).map((r) => r.kind), existing: results.filter((r) => !r.created).map((r) => r.kind) };
}
