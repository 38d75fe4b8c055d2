/**
 * DevOpsAccess on Azure DevOps Services' User Entitlements API, which lives on the organisation's
 * second host (https://vsaex.dev.azure.com/{org}) and which azure-devops-node-api has no client
 * for: raw REST through the connection's authenticated client (its PAT handler sends the token
 * cross-origin), with the same retries and failure mapping as every other call. Project names are
 * resolved to ids through the core API (cached). Granting never POSTs for someone already in the
 * organisation: the service would overwrite their access level; it PATCHes the missing groups.
 */
import { DomainError } from '../../domain/domain-error';
import type { AccessLevel, DevOpsAccess, DevOpsEntitlement, DevOpsGrant, DevOpsRevoke, ProjectGroupRef, ProjectGroupType } from '../../domain/onboarding/devops-access.port';
import { AzureDevOpsConnection, type AzureDevOpsOptions } from './azure-devops-connection';
import type { CallContext } from './azure-devops-failures';

const API_VERSION = '7.1-preview.3';
const READ = 'Member Entitlement Management (Read)';
const WRITE = 'Member Entitlement Management (Read & write)';

export interface AzureDevOpsUserAccessOptions {
  /** The organisation URL on the entitlements host, e.g. https://vsaex.dev.azure.com/contoso. */
  entitlementsUrl: string;
}

/** The wire shapes this adapter reads (User Entitlements 7.1). */
interface WireProjectEntitlement {
  group?: { groupType?: string };
  projectRef?: { id?: string; name?: string | null };
}
interface WireEntitlement {
  id: string;
  user?: { principalName?: string };
  accessLevel?: { accountLicenseType?: string };
  projectEntitlements?: WireProjectEntitlement[];
}
interface WireOperationError {
  key?: unknown;
  value?: unknown;
}
interface WireSearchPage {
  members?: WireEntitlement[];
  items?: WireEntitlement[];
  continuationToken?: string | null;
}
interface WirePostResponse {
  isSuccess?: boolean;
  operationResult?: { isSuccess?: boolean; errors?: WireOperationError[]; userId?: string };
  userEntitlement?: WireEntitlement | null;
}
interface WirePatchResponse {
  isSuccess?: boolean;
  operationResults?: { isSuccess?: boolean; errors?: WireOperationError[] }[];
  userEntitlement?: WireEntitlement | null;
}
type PatchOperation = { op: 'add'; path: '/projectEntitlements'; value: unknown } | { op: 'remove'; path: string };

interface Project {
  id: string;
  name: string;
}
/** A requested group with its project resolved. */
interface Target extends ProjectGroupRef {
  projectId: string;
}

const key = (projectId: string, group: string): string => `${projectId.toLowerCase()}|${group}`;

export class AzureDevOpsUserAccess implements DevOpsAccess {
  private readonly conn: AzureDevOpsConnection;
  private readonly baseUrl: string;
  /** By lower-cased name or id; only found projects are kept (one created later is found then). */
  private readonly projects = new Map<string, Project>();

  constructor(connection: AzureDevOpsConnection | AzureDevOpsOptions, options: AzureDevOpsUserAccessOptions) {
    this.conn = connection instanceof AzureDevOpsConnection ? connection : new AzureDevOpsConnection(connection);
    this.baseUrl = options.entitlementsUrl.replace(/\/+$/, '');
  }

  async entitlementOf(principalName: string): Promise<DevOpsEntitlement | null> {
    const found = await this.find(principalName);
    return found ? this.toEntitlement(found) : null;
  }

  async grant(principalName: string, accessLevel: AccessLevel, groups: ProjectGroupRef[]): Promise<DevOpsGrant> {
    const wanted: Target[] = [];
    for (const g of groups) {
      const project = await this.project(g.project);
      if (!project) throw new DomainError('ONBOARDING.DEVOPS_PROJECT_NOT_FOUND', `Azure DevOps has no project "${g.project}".`, { project: g.project });
      if (!wanted.some((w) => key(w.projectId, w.group) === key(project.id, g.group))) wanted.push({ project: project.name, group: g.group, projectId: project.id });
    }

    const existing = await this.find(principalName);
    if (!existing) {
      const created = await this.add(principalName, accessLevel, wanted);
      return { entitlementCreated: true, entitlement: await this.toEntitlement(created), groupsAdded: wanted.map(toRef) };
    }
    const held = new Set(memberships(existing).map((m) => key(m.projectId, m.group)));
    const missing = wanted.filter((w) => !held.has(key(w.projectId, w.group)));
    if (!missing.length) return { entitlementCreated: false, entitlement: await this.toEntitlement(existing), groupsAdded: [] };
    const ops: PatchOperation[] = missing.map((m) => addOperation(m.projectId, m.group));
    const updated = await this.patch(existing.id, principalName, ops, `add ${principalName} to project groups`);
    if (!updated) throw this.vanished(principalName);
    return { entitlementCreated: false, entitlement: await this.toEntitlement(updated), groupsAdded: missing.map(toRef) };
  }

  async revoke(principalName: string, what: { entitlement: boolean; groups: ProjectGroupRef[] }): Promise<DevOpsRevoke> {
    const asked = dedupe(what.groups);
    const existing = await this.find(principalName);
    if (!existing) return { entitlementRemoved: false, groupsRemoved: [], alreadyGone: asked };

    const held = memberships(existing);
    const present: Target[] = [];
    const alreadyGone: ProjectGroupRef[] = [];
    for (const g of asked) {
      // A project that no longer exists holds nobody: its groups are gone already.
      const project = await this.project(g.project);
      if (project && held.some((h) => key(h.projectId, h.group) === key(project.id, g.group))) present.push({ project: project.name, group: g.group, projectId: project.id });
      else alreadyGone.push(g);
    }

    if (what.entitlement) {
      // Leaving the organisation takes every membership with it.
      const removed = await this.remove(existing.id, principalName);
      return removed ? { entitlementRemoved: true, groupsRemoved: present.map(toRef), alreadyGone } : { entitlementRemoved: false, groupsRemoved: [], alreadyGone: asked };
    }
    if (!present.length) return { entitlementRemoved: false, groupsRemoved: [], alreadyGone };

    // The API removes a user from a whole project; groups of it that stay are added back in the same document.
    const ops: PatchOperation[] = [];
    for (const projectId of new Set(present.map((p) => p.projectId.toLowerCase()))) {
      ops.push({ op: 'remove', path: `/projectEntitlements/${projectId}` });
      const kept = held.filter((h) => h.projectId.toLowerCase() === projectId && !present.some((p) => key(p.projectId, p.group) === key(h.projectId, h.group)));
      ops.push(...kept.map((k) => addOperation(k.projectId, k.group)));
    }
    const updated = await this.patch(existing.id, principalName, ops, `remove ${principalName} from project groups`);
    if (!updated) return { entitlementRemoved: false, groupsRemoved: [], alreadyGone: asked };
    return { entitlementRemoved: false, groupsRemoved: present.map(toRef), alreadyGone };
  }

  /** The entitlement of exactly `principalName` (the search's name filter matches any part of a name), with its project groups. */
  private async find(principalName: string): Promise<WireEntitlement | null> {
    const ctx: CallContext = { operation: `look up ${principalName} in the organisation`, permission: READ };
    const filter = encodeURIComponent(`name eq '${principalName.replace(/'/g, "''")}'`);
    let token: string | null | undefined;
    do {
      const continuation = token ? `&continuationToken=${encodeURIComponent(token)}` : '';
      const page = await this.conn.call(ctx, async () => (await this.conn.rest.get<WireSearchPage>(this.url(`?$filter=${filter}${continuation}`))).result);
      const match = (page?.members ?? page?.items ?? []).find((m) => m.user?.principalName?.toLowerCase() === principalName.toLowerCase());
      // The search's answer need not list project groups: the entitlement itself does.
      if (match) return this.conn.call(ctx, async () => (await this.conn.rest.get<WireEntitlement>(this.url(`/${match.id}`))).result);
      token = page?.continuationToken;
    } while (token);
    return null;
  }

  private async add(principalName: string, accessLevel: AccessLevel, groups: Target[]): Promise<WireEntitlement> {
    const ctx: CallContext = { operation: `add ${principalName} to the organisation`, permission: WRITE };
    const body = {
      accessLevel: { accountLicenseType: accessLevel, licensingSource: 'account' },
      user: { principalName, subjectKind: 'user' },
      projectEntitlements: groups.map((g) => ({ group: { groupType: g.group }, projectRef: { id: g.projectId } })),
    };
    // Safe to repeat: a second POST for the same person updates them to the same access and groups.
    const response = await this.conn.call(ctx, async () => (await this.conn.rest.create<WirePostResponse>(this.url(''), body)).result);
    if (!response?.isSuccess) throw refused(principalName, response?.operationResult?.errors, 'add');
    const entitlement = response.userEntitlement;
    if (entitlement?.projectEntitlements) return entitlement;
    const id = entitlement?.id ?? response.operationResult?.userId;
    const read = id ? await this.conn.call(ctx, async () => (await this.conn.rest.get<WireEntitlement>(this.url(`/${id}`))).result) : null;
    if (!read) throw this.vanished(principalName);
    return read;
  }

  /** Null when the entitlement is gone (404). */
  private async patch(id: string, principalName: string, ops: PatchOperation[], operation: string): Promise<WireEntitlement | null> {
    const ctx: CallContext = { operation, permission: WRITE };
    const response = await this.conn.call(ctx, async () => {
      const res = await this.conn.rest.update<WirePatchResponse>(this.url(`/${id}`), ops, { additionalHeaders: { 'Content-Type': 'application/json-patch+json' } });
      return res.statusCode === 404 ? undefined : res.result;
    });
    if (response === undefined) return null;
    if (!response?.isSuccess) throw refused(principalName, response?.operationResults?.flatMap((r) => r.errors ?? []), 'change');
    return response.userEntitlement ?? null;
  }

  /** False when it was gone already (404). */
  private async remove(id: string, principalName: string): Promise<boolean> {
    const ctx: CallContext = { operation: `remove ${principalName} from the organisation`, permission: WRITE };
    return this.conn.call(ctx, async () => (await this.conn.rest.del(this.url(`/${id}`))).statusCode !== 404);
  }

  private async project(nameOrId: string): Promise<Project | null> {
    const cached = this.projects.get(nameOrId.toLowerCase());
    if (cached) return cached;
    const ctx: CallContext = { operation: `read project "${nameOrId}"`, permission: 'Project and Team (Read)', project: nameOrId };
    const found = await this.conn.call(ctx, async () => (await this.conn.core()).getProject(nameOrId));
    if (!found?.id || !found.name) return null;
    const project = { id: found.id.toLowerCase(), name: found.name };
    this.projects.set(project.id, project).set(project.name.toLowerCase(), project);
    return project;
  }

  private async toEntitlement(wire: WireEntitlement): Promise<DevOpsEntitlement> {
    const groups: ProjectGroupRef[] = [];
    for (const m of memberships(wire)) groups.push({ project: m.projectName ?? (await this.project(m.projectId))?.name ?? m.projectId, group: m.group });
    return { id: wire.id, principalName: wire.user?.principalName ?? '', accessLevel: wire.accessLevel?.accountLicenseType ?? 'none', groups };
  }

  private url(suffix: string): string {
    const [path, query] = suffix.startsWith('?') ? ['', suffix.slice(1)] : [suffix, ''];
    return `${this.baseUrl}/_apis/userentitlements${path}?${query ? `${query}&` : ''}api-version=${API_VERSION}`;
  }

  private vanished(principalName: string): DomainError {
    return new DomainError('UPSTREAM.FAILED', `Azure DevOps lost the entitlement of ${principalName} while it was being changed.`, { service: 'azure-devops', principalName });
  }
}

function memberships(wire: WireEntitlement): { projectId: string; projectName?: string; group: ProjectGroupType }[] {
  return (wire.projectEntitlements ?? [])
    .filter((p) => p.projectRef?.id && p.group?.groupType)
    .map((p) => ({ projectId: p.projectRef!.id!.toLowerCase(), ...(p.projectRef!.name ? { projectName: p.projectRef!.name } : {}), group: p.group!.groupType as ProjectGroupType }));
}

const addOperation = (projectId: string, group: string): PatchOperation => ({ op: 'add', path: '/projectEntitlements', value: { group: { groupType: group }, projectRef: { id: projectId } } });

const toRef = ({ project, group }: Target): ProjectGroupRef => ({ project, group });

function dedupe(groups: ProjectGroupRef[]): ProjectGroupRef[] {
  return groups.filter((g, i) => groups.findIndex((o) => o.project.toLowerCase() === g.project.toLowerCase() && o.group === g.group) === i);
}

/** The organisation said no (HTTP 200 with isSuccess false): its keyed reasons, for the logs and the card. */
function refused(principalName: string, errors: WireOperationError[] | undefined, action: 'add' | 'change'): DomainError {
  const reasons = (errors ?? []).map((e) => String(e.value ?? '')).filter(Boolean);
  const reason = reasons.join(' ') || 'no reason given';
  const what = action === 'add' ? `add ${principalName} to the organisation` : `change the entitlement of ${principalName}`;
  return new DomainError('ONBOARDING.DEVOPS_USER_REFUSED', `Azure DevOps refused to ${what}: ${reason}`, {
    principalName,
    reason,
    errorKeys: (errors ?? []).map((e) => String(e.key ?? '')),
  });
}
