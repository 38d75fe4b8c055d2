/**
 * What the golden-path pipeline deploys through: Azure DevOps environments (with an Approvals check
 * on prod) and variable groups. Environments and variable groups go through TaskAgentApi; checks
 * have no client in azure-devops-node-api 17, so they use the documented Checks route
 * (`{project}/_apis/pipelines/checks/configurations`, area PipelinesChecks) through the client's
 * rest/vsoClient, as branch-policies.ts does for git policy configurations. All are found (by name,
 * or for a check by type + resource) before they are created.
 */
import type { VariableGroup } from 'azure-devops-node-api/interfaces/TaskAgentInterfaces';
import { DomainError } from '../../domain/domain-error';
import type { ApprovalCheckSpec, EnsuredNamed, VariableGroupSpec } from '../../domain/repos/repository-provisioning.port';
import type { AzureDevOpsConnection } from './azure-devops-connection';
import { ensure } from './ensure';
import { projectNotFound } from './git-writes';

const ENVIRONMENT_READ = 'Environment (Read)';
const ENVIRONMENT_MANAGE = 'Environment (Read & manage)';
const VARIABLE_GROUPS_READ = 'Variable Groups (Read)';
const VARIABLE_GROUPS_MANAGE = 'Variable Groups (Read, create, & manage)';

/** The service's fixed id of the "Approval" check type. */
export const APPROVAL_CHECK_TYPE_ID = '8c6f20a7-a545-4486-9777-f762fafe0d4d';
const CHECKS_AREA = 'PipelinesChecks';
const CHECK_CONFIGURATIONS = '86c8381e-5aee-4cde-8ae4-25c0c7f5eaea';
/** The service's default: an approval waits up to 30 days. */
const DEFAULT_APPROVAL_TIMEOUT_MINUTES = 43_200;

interface CheckConfiguration {
  id?: number;
  type?: { id?: string; name?: string };
  resource?: { type?: string; id?: string; name?: string };
  settings?: Record<string, unknown>;
  timeout?: number;
  isDeleted?: boolean;
}

const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

export async function ensureEnvironmentSet(conn: AzureDevOpsConnection, project: string, names: string[]): Promise<EnsuredNamed[]> {
  const results: EnsuredNamed[] = [];
  // One at a time: a handful of names, and the answer keeps the order asked.
  for (const name of names) {
    const { value, created } = await ensure(conn.policy, { operation: `create environment "${name}"`, permission: ENVIRONMENT_MANAGE, project }, {
      find: async () => {
        const found = await conn.call({ operation: `find environment "${name}"`, permission: ENVIRONMENT_READ, project }, async () => (await conn.taskAgent()).getEnvironments(project, name));
        if (!found) throw projectNotFound(project);
        const env = found.find((e) => same(e.name, name));
        return env ? { name: env.name!, id: env.id! } : undefined;
      },
      create: async () => {
        const env = await (await conn.taskAgent()).addEnvironment({ name, description: 'Created by the developer portal for the golden-path pipeline.' }, project);
        if (!env) throw projectNotFound(project);
        return { name: env.name!, id: env.id! };
      },
    });
    results.push({ ...value, created });
  }
  return results;
}

/** The check configurations on one environment (with their settings); null when the project does not exist. One attempt. */
async function listChecks(conn: AzureDevOpsConnection, project: string, environmentId: number): Promise<CheckConfiguration[] | null> {
  const api = await conn.taskAgent();
  const query = { resourceType: 'environment', resourceId: String(environmentId), $expand: 'settings' };
  const { requestUrl, apiVersion } = await api.vsoClient.getVersioningData('7.2-preview.1', CHECKS_AREA, CHECK_CONFIGURATIONS, { project }, query);
  const res = await api.rest.get<{ value?: CheckConfiguration[] }>(requestUrl!, api.createRequestOptions('application/json', apiVersion));
  if (res.statusCode === 404) return null;
  return res.result?.value ?? [];
}

function approvalCheckBody(environmentId: number, spec: ApprovalCheckSpec): CheckConfiguration {
  const names = spec.approverNames ?? [];
  return {
    type: { id: APPROVAL_CHECK_TYPE_ID, name: 'Approval' },
    resource: { type: 'environment', id: String(environmentId) },
    timeout: spec.timeoutMinutes ?? DEFAULT_APPROVAL_TIMEOUT_MINUTES,
    settings: {
      approvers: (spec.approverGroupOrUserIds ?? []).map((id) => ({ id })),
      executionOrder: 1, // any order
      minRequiredApprovers: spec.minRequiredApprovers,
      requesterCannotBeApprover: spec.requesterCannotBeApprover,
      blockedApprovers: [],
      instructions: names.length ? `Approvers: ${names.join(', ')} (the owner team). Set up by the developer portal.` : 'Set up by the developer portal.',
    },
  };
}

export async function ensureApprovalCheckOn(conn: AzureDevOpsConnection, project: string, environmentId: number, spec: ApprovalCheckSpec): Promise<{ id: number; created: boolean }> {
  const find = () =>
    conn.call({ operation: 'read the checks of the environment', permission: ENVIRONMENT_READ, project }, async () => {
      const checks = await listChecks(conn, project, environmentId);
      if (!checks) throw projectNotFound(project);
      const approval = checks.find((c) => !c.isDeleted && same(c.type?.id, APPROVAL_CHECK_TYPE_ID) && c.resource?.id === String(environmentId));
      return approval ? { id: approval.id! } : undefined;
    });
  const { value, created } = await ensure(conn.policy, { operation: 'add the approval check to the environment', permission: ENVIRONMENT_MANAGE, project }, {
    find,
    create: async () => {
      const api = await conn.taskAgent();
      const { requestUrl, apiVersion } = await api.vsoClient.getVersioningData('7.2-preview.1', CHECKS_AREA, CHECK_CONFIGURATIONS, { project });
      const res = await api.rest.create<CheckConfiguration>(requestUrl!, approvalCheckBody(environmentId, spec), api.createRequestOptions('application/json', apiVersion));
      if (!res.result?.id) throw projectNotFound(project);
      return { id: res.result.id };
    },
  });
  return { ...value, created };
}

export async function ensureVariableGroupSet(conn: AzureDevOpsConnection, project: string, groups: VariableGroupSpec[]): Promise<EnsuredNamed[]> {
  let projectId: string | undefined;
  const results: EnsuredNamed[] = [];
  for (const group of groups) {
    const { value, created } = await ensure(conn.policy, { operation: `create variable group "${group.name}"`, permission: VARIABLE_GROUPS_MANAGE, project }, {
      find: async () => {
        const found = await conn.call({ operation: `find variable group "${group.name}"`, permission: VARIABLE_GROUPS_READ, project }, async () =>
          (await conn.taskAgent()).getVariableGroups(project, group.name),
        );
        if (!found) throw projectNotFound(project);
        const vg = found.find((g: VariableGroup) => same(g.name, group.name));
        return vg ? { name: vg.name!, id: vg.id! } : undefined;
      },
      create: async () => {
        // The body names the project by id (the route is organisation-wide).
        projectId ??= await conn.call({ operation: 'read the project', permission: 'Project and Team (Read)', project }, async () => (await (await conn.core()).getProject(project))?.id);
        if (!projectId) throw projectNotFound(project);
        const variables = Object.fromEntries(Object.entries(group.variables).map(([k, v]) => [k, { value: v, isSecret: false }]));
        const vg = await (await conn.taskAgent()).addVariableGroup({
          name: group.name,
          description: group.description,
          type: 'Vsts',
          variables,
          variableGroupProjectReferences: [{ name: group.name, description: group.description, projectReference: { id: projectId, name: project } }],
        });
        if (!vg) throw projectNotFound(project);
        return { name: vg.name!, id: vg.id! };
      },
      conflict: () =>
        new DomainError('PIPELINES.NAME_CONFLICT', `A variable group named "${group.name}" exists in project "${project}" but could not be read back.`, { project, name: group.name }),
    });
    results.push({ ...value, created });
  }
  return results;
}
