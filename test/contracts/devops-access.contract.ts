/**
 * What every DevOpsAccess must do, run against the in-memory fake (test/unit/devops-access.contract.test.ts)
 * and against the Azure DevOps adapter + stand-in (test/integration/devops-access.contract.int.test.ts).
 * Each test gets a fresh subject seeded with CONTRACT_ACCESS.
 */
import type { DevOpsAccess, DevOpsEntitlement, ProjectGroupRef } from '../../src/domain/onboarding/devops-access.port';
import { DEMO_PRINCIPALS } from '../../src/sandbox/seed/demo-entitlements';
import { DEMO_PROJECTS } from '../../src/sandbox/seed/demo-org';
import type { EntitlementSeed, OrgPrincipal } from '../../src/sandbox/standins/azure-devops/entitlement-state';
import { domainFailure } from '../helpers/domain-failure';

/** The demo directory; Dave is a stakeholder in Search, Carol in two projects, Grace in two groups of one. */
export const CONTRACT_ACCESS: { projects: typeof DEMO_PROJECTS; principals: OrgPrincipal[]; entitlements: EntitlementSeed[] } = {
  projects: DEMO_PROJECTS,
  principals: DEMO_PRINCIPALS,
  entitlements: [
    { principalName: 'dave@contoso.example', accountLicenseType: 'stakeholder', groups: [{ project: 'Search', groupType: 'projectReader' }] },
    { principalName: 'carol@contoso.example', accountLicenseType: 'express', groups: [{ project: 'Platform', groupType: 'projectAdministrator' }, { project: 'Payments', groupType: 'projectReader' }] },
    { principalName: 'grace@contoso.example', accountLicenseType: 'express', groups: [{ project: 'Platform', groupType: 'projectContributor' }, { project: 'Platform', groupType: 'projectReader' }] },
  ],
};

export interface DevOpsAccessUnderTest {
  access: DevOpsAccess;
  close(): Promise<void>;
}

const HENRY = 'henry@contoso.example';
const byName = (a: ProjectGroupRef, b: ProjectGroupRef) => `${a.project}|${a.group}`.localeCompare(`${b.project}|${b.group}`);
const sorted = (groups: ProjectGroupRef[]) => [...groups].sort(byName);
const groupsOf = (e: DevOpsEntitlement | null) => sorted(e?.groups ?? []);

export function devOpsAccessContract(name: string, make: () => Promise<DevOpsAccessUnderTest>): void {
  describe(`DevOpsAccess contract: ${name}`, () => {
    let subject: DevOpsAccessUnderTest;
    let access: DevOpsAccess;

    beforeEach(async () => {
      subject = await make();
      access = subject.access;
    });
    afterEach(async () => subject?.close());

    it('gives a new user an entitlement with the access level and the groups, and says it created it', async () => {
      expect(await access.entitlementOf(HENRY)).toBeNull();
      const groups: ProjectGroupRef[] = [{ project: 'Payments', group: 'projectContributor' }, { project: 'Search', group: 'projectReader' }];
      const grant = await access.grant(HENRY, 'express', groups);
      expect(grant.entitlementCreated).toBe(true);
      expect(sorted(grant.groupsAdded)).toEqual(sorted(groups));
      expect(grant.entitlement).toMatchObject({ principalName: HENRY, accessLevel: 'express' });
      expect(grant.entitlement.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(groupsOf(grant.entitlement)).toEqual(sorted(groups));
      const read = await access.entitlementOf(HENRY);
      expect(read).toMatchObject({ id: grant.entitlement.id, principalName: HENRY, accessLevel: 'express' });
      expect(groupsOf(read)).toEqual(sorted(groups));
    });

    it('adds only the missing groups to an existing user and never touches their access level', async () => {
      const grant = await access.grant('dave@contoso.example', 'express', [{ project: 'Payments', group: 'projectContributor' }, { project: 'Search', group: 'projectReader' }]);
      expect(grant.entitlementCreated).toBe(false);
      expect(grant.groupsAdded).toEqual([{ project: 'Payments', group: 'projectContributor' }]);
      expect(grant.entitlement.accessLevel).toBe('stakeholder');
      const read = await access.entitlementOf('dave@contoso.example');
      expect(read?.accessLevel).toBe('stakeholder');
      expect(groupsOf(read)).toEqual([{ project: 'Payments', group: 'projectContributor' }, { project: 'Search', group: 'projectReader' }]);
    });

    it('is idempotent: a second grant (project names in any case, a group twice) adds nothing', async () => {
      const first = await access.grant(HENRY, 'stakeholder', [{ project: 'Payments', group: 'projectContributor' }]);
      const again = await access.grant(HENRY, 'express', [{ project: 'payments', group: 'projectContributor' }, { project: 'PAYMENTS', group: 'projectContributor' }]);
      expect(again).toEqual({ entitlementCreated: false, entitlement: first.entitlement, groupsAdded: [] });
      expect((await access.entitlementOf(HENRY))?.accessLevel).toBe('stakeholder');
    });

    it('finds a user by exact principal name in any case, not by a part of one', async () => {
      expect((await access.entitlementOf('Dave@Contoso.Example'))?.principalName).toBe('dave@contoso.example');
      expect(await access.entitlementOf('ave@contoso.example')).toBeNull();
      expect(await access.entitlementOf('dave')).toBeNull();
    });

    it('revokes only the groups asked for, keeping the entitlement and the other groups (of the same project too)', async () => {
      const carol = await access.revoke('carol@contoso.example', { entitlement: false, groups: [{ project: 'Payments', group: 'projectReader' }] });
      expect(carol).toEqual({ entitlementRemoved: false, groupsRemoved: [{ project: 'Payments', group: 'projectReader' }], alreadyGone: [] });
      expect(groupsOf(await access.entitlementOf('carol@contoso.example'))).toEqual([{ project: 'Platform', group: 'projectAdministrator' }]);

      const grace = await access.revoke('grace@contoso.example', { entitlement: false, groups: [{ project: 'Platform', group: 'projectReader' }] });
      expect(grace.groupsRemoved).toEqual([{ project: 'Platform', group: 'projectReader' }]);
      const after = await access.entitlementOf('grace@contoso.example');
      expect(groupsOf(after)).toEqual([{ project: 'Platform', group: 'projectContributor' }]);
      expect(after?.accessLevel).toBe('express');
    });

    it('revokes the whole entitlement when told to, reporting the asked groups it held', async () => {
      const result = await access.revoke('dave@contoso.example', { entitlement: true, groups: [{ project: 'Search', group: 'projectReader' }, { project: 'Payments', group: 'projectReader' }] });
      expect(result).toEqual({ entitlementRemoved: true, groupsRemoved: [{ project: 'Search', group: 'projectReader' }], alreadyGone: [{ project: 'Payments', group: 'projectReader' }] });
      expect(await access.entitlementOf('dave@contoso.example')).toBeNull();
    });

    it('reports what was already gone: no entitlement, a group not held, a project that does not exist', async () => {
      const groups: ProjectGroupRef[] = [{ project: 'Payments', group: 'projectContributor' }];
      expect(await access.revoke(HENRY, { entitlement: true, groups })).toEqual({ entitlementRemoved: false, groupsRemoved: [], alreadyGone: groups });
      const notHeld: ProjectGroupRef[] = [{ project: 'Search', group: 'projectContributor' }, { project: 'No Such Project', group: 'projectReader' }];
      expect(await access.revoke('carol@contoso.example', { entitlement: false, groups: notHeld })).toEqual({ entitlementRemoved: false, groupsRemoved: [], alreadyGone: notHeld });
      expect(groupsOf(await access.entitlementOf('carol@contoso.example'))).toHaveLength(2);
    });

    it('refuses an unknown project before changing anything', async () => {
      const e = await domainFailure(access.grant(HENRY, 'express', [{ project: 'Payments', group: 'projectContributor' }, { project: 'No Such Project', group: 'projectReader' }]));
      expect(e).toMatchObject({ code: 'ONBOARDING.DEVOPS_PROJECT_NOT_FOUND', details: expect.objectContaining({ project: 'No Such Project' }) });
      expect(await access.entitlementOf(HENRY)).toBeNull();
      const dave = await domainFailure(access.grant('dave@contoso.example', 'express', [{ project: 'Nope', group: 'projectReader' }]));
      expect(dave.code).toBe('ONBOARDING.DEVOPS_PROJECT_NOT_FOUND');
      expect(groupsOf(await access.entitlementOf('dave@contoso.example'))).toEqual([{ project: 'Search', group: 'projectReader' }]);
    });

    it('refuses someone the organisation cannot resolve, and someone disabled in the directory', async () => {
      const unknown = await domainFailure(access.grant('nobody@contoso.example', 'express', [{ project: 'Payments', group: 'projectReader' }]));
      expect(unknown).toMatchObject({ code: 'ONBOARDING.DEVOPS_USER_REFUSED', details: expect.objectContaining({ principalName: 'nobody@contoso.example' }) });
      expect(await access.entitlementOf('nobody@contoso.example')).toBeNull();
      const disabled = await domainFailure(access.grant('ivan@contoso.example', 'express', []));
      expect(disabled).toMatchObject({ code: 'ONBOARDING.DEVOPS_USER_REFUSED', details: expect.objectContaining({ principalName: 'ivan@contoso.example' }) });
      expect(await access.entitlementOf('ivan@contoso.example')).toBeNull();
    });
  });
}
