/**
 * The demo organisation's Azure DevOps members: who the organisation's directory resolves (the demo
 * directory's users, disabled ones included) and who is in the organisation already, with their
 * access level and project groups. Joiners (Henry) and Jules have no entitlement yet; Ivan left
 * the company but still has one, as people who leave often do.
 */
import type { EntitlementSeed, OrgPrincipal } from '../standins/azure-devops/entitlement-state';
import { DEMO_USERS, userBySlug } from './demo-org';

export const DEMO_PRINCIPALS: OrgPrincipal[] = DEMO_USERS.map((u) => ({
  principalName: u.userPrincipalName,
  displayName: u.displayName,
  originId: u.id,
  enabled: u.accountEnabled !== false,
}));

const member = (slug: string, accountLicenseType: string, groups: [project: string, groupType: string][]): EntitlementSeed => ({
  principalName: userBySlug(slug).userPrincipalName,
  accountLicenseType,
  groups: groups.map(([project, groupType]) => ({ project, groupType })),
});

export const DEMO_ENTITLEMENTS: EntitlementSeed[] = [
  member('alice', 'express', [['Payments', 'projectContributor']]),
  member('bob', 'express', [['Payments', 'projectAdministrator']]),
  member('frank', 'express', [['Payments', 'projectContributor']]),
  member('dave', 'express', [['Search', 'projectContributor']]),
  member('erin', 'express', [['Search', 'projectAdministrator']]),
  member('carol', 'express', [['Platform', 'projectAdministrator'], ['Payments', 'projectReader'], ['Search', 'projectReader']]),
  member('grace', 'express', [['Platform', 'projectContributor']]),
  member('paula', 'stakeholder', [['Platform', 'projectAdministrator']]),
  member('ivan', 'express', [['Search', 'projectContributor']]),
];
