/**
 * DevOpsAccess in memory, answering as the Azure DevOps adapter does against the service (the
 * contract suite checks both): projects by name in any case, principals the organisation's
 * directory resolves (disabled ones refused), an existing entitlement's access level never changed,
 * revokes that report what was already gone. A test can make the next call(s) fail (`failNext`),
 * as a throttled or unreachable Azure DevOps would, and read what was asked (`calls`).
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../src/domain/domain-error';
import type { AccessLevel, DevOpsAccess, DevOpsEntitlement, DevOpsGrant, DevOpsRevoke, ProjectGroupRef } from '../../src/domain/onboarding/devops-access.port';
import type { EntitlementSeed, OrgPrincipal } from '../../src/sandbox/standins/azure-devops/entitlement-state';

export interface InMemoryDevOpsAccessSeed {
  projects: { id: string; name: string }[];
  principals: OrgPrincipal[];
  entitlements?: EntitlementSeed[];
}

type Method = 'entitlementOf' | 'grant' | 'revoke';

const same = (a: ProjectGroupRef, b: ProjectGroupRef): boolean => a.project.toLowerCase() === b.project.toLowerCase() && a.group === b.group;

export class InMemoryDevOpsAccess implements DevOpsAccess {
  /** By lower-cased principal name. */
  readonly entitlements = new Map<string, DevOpsEntitlement>();
  readonly calls: { method: Method; principalName: string }[] = [];
  private readonly failures: { method?: Method; error: unknown; times: number }[] = [];

  constructor(private readonly seed: InMemoryDevOpsAccessSeed) {
    for (const e of seed.entitlements ?? []) {
      this.entitlements.set(e.principalName.toLowerCase(), {
        id: randomUUID(),
        principalName: e.principalName,
        accessLevel: e.accountLicenseType,
        groups: e.groups.map((g) => ({ project: this.projectName(g.project)!, group: g.groupType as ProjectGroupRef['group'] })),
      });
    }
  }

  /** The next `times` calls (of `method`, or any) reject with `error` and change nothing. */
  failNext(error: unknown, options: { method?: Method; times?: number } = {}): void {
    this.failures.push({ error, method: options.method, times: options.times ?? 1 });
  }

  async entitlementOf(principalName: string): Promise<DevOpsEntitlement | null> {
    this.enter('entitlementOf', principalName);
    return this.copy(this.entitlements.get(principalName.toLowerCase()));
  }

  async grant(principalName: string, accessLevel: AccessLevel, groups: ProjectGroupRef[]): Promise<DevOpsGrant> {
    this.enter('grant', principalName);
    const wanted: ProjectGroupRef[] = [];
    for (const g of groups) {
      const project = this.projectName(g.project);
      if (!project) throw new DomainError('ONBOARDING.DEVOPS_PROJECT_NOT_FOUND', `Azure DevOps has no project "${g.project}".`, { project: g.project });
      if (!wanted.some((w) => same(w, { project, group: g.group }))) wanted.push({ project, group: g.group });
    }
    const existing = this.entitlements.get(principalName.toLowerCase());
    if (existing) {
      const missing = wanted.filter((w) => !existing.groups.some((g) => same(g, w)));
      existing.groups.push(...missing);
      return { entitlementCreated: false, entitlement: this.copy(existing)!, groupsAdded: missing };
    }
    const principal = this.seed.principals.find((p) => p.principalName.toLowerCase() === principalName.toLowerCase());
    if (!principal || !principal.enabled) {
      const reason = principal ? 'the account is disabled in the directory.' : 'the identity cannot be found in the directory.';
      throw new DomainError('ONBOARDING.DEVOPS_USER_REFUSED', `Azure DevOps refused to add ${principalName} to the organisation: ${reason}`, { principalName, reason });
    }
    const created: DevOpsEntitlement = { id: randomUUID(), principalName: principal.principalName, accessLevel, groups: wanted };
    this.entitlements.set(principalName.toLowerCase(), created);
    return { entitlementCreated: true, entitlement: this.copy(created)!, groupsAdded: wanted.map((w) => ({ ...w })) };
  }

  async revoke(principalName: string, what: { entitlement: boolean; groups: ProjectGroupRef[] }): Promise<DevOpsRevoke> {
    this.enter('revoke', principalName);
    const asked = what.groups.filter((g, i) => what.groups.findIndex((o) => same(o, g)) === i);
    const existing = this.entitlements.get(principalName.toLowerCase());
    if (!existing) return { entitlementRemoved: false, groupsRemoved: [], alreadyGone: asked };
    const present = asked.filter((a) => existing.groups.some((g) => same(g, a))).map((a) => ({ project: this.projectName(a.project)!, group: a.group }));
    const alreadyGone = asked.filter((a) => !existing.groups.some((g) => same(g, a)));
    if (what.entitlement) this.entitlements.delete(principalName.toLowerCase());
    else existing.groups = existing.groups.filter((g) => !present.some((p) => same(p, g)));
    return { entitlementRemoved: what.entitlement, groupsRemoved: present, alreadyGone };
  }

  private enter(method: Method, principalName: string): void {
    this.calls.push({ method, principalName });
    const index = this.failures.findIndex((f) => !f.method || f.method === method);
    if (index < 0) return;
    const failure = this.failures[index]!;
    if (--failure.times <= 0) this.failures.splice(index, 1);
    throw failure.error;
  }

  private projectName(nameOrId: string): string | undefined {
    const key = nameOrId.toLowerCase();
    return this.seed.projects.find((p) => p.name.toLowerCase() === key || p.id.toLowerCase() === key)?.name;
  }

  private copy(e: DevOpsEntitlement | undefined): DevOpsEntitlement | null {
    return e ? { ...e, groups: e.groups.map((g) => ({ ...g })) } : null;
  }
}
