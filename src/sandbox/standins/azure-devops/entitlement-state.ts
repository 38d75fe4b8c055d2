/**
 * What the user-entitlements API (the `vsaex` host) holds: the people the organisation can resolve
 * (its Entra directory), and per person in the organisation an entitlement (member id, access
 * level) with their membership of each project's built-in groups.
 */
import { createHash } from 'node:crypto';
import { AdoError } from './errors';

/** The built-in project groups the API assigns, with the names Azure DevOps shows for them. */
export const PROJECT_GROUPS: Record<string, string> = {
  projectReader: 'Readers',
  projectContributor: 'Contributors',
  projectAdministrator: 'Project Administrators',
  projectStakeholder: 'Project Valid Users',
};

/** Account licence types the organisation sells, with their display names. */
export const LICENCES: Record<string, string> = { express: 'Basic', stakeholder: 'Stakeholder', advanced: 'Basic + Test Plans' };

/** Someone in the organisation's directory (Entra): who a POST may add. */
export interface OrgPrincipal {
  principalName: string;
  displayName: string;
  /** Entra object id. */
  originId: string;
  enabled: boolean;
}

export interface ProjectGroupMembership {
  projectId: string;
  groupType: string;
}

export interface EntitlementRecord {
  /** The member id the API calls userId. */
  id: string;
  principalName: string;
  displayName: string;
  originId: string;
  accountLicenseType: string;
  dateCreated: string;
  groups: ProjectGroupMembership[];
}

/** A seeded entitlement, by project name. */
export interface EntitlementSeed {
  principalName: string;
  accountLicenseType: string;
  groups: { project: string; groupType: string }[];
}

export const entitlementNotFound = (userId: string): AdoError =>
  new AdoError(404, 'MemberNotFoundException', `The user with id ${userId} was not found in the organization.`);

/** Adds a membership once; true when it was not there. */
export function addMembership(record: EntitlementRecord, membership: ProjectGroupMembership): boolean {
  if (record.groups.some((g) => g.projectId === membership.projectId && g.groupType === membership.groupType)) return false;
  record.groups.push({ ...membership });
  return true;
}

/** A seeded person's member id: stable across starts, and not their Entra object id (the service's differ too). */
export function memberIdFor(originId: string): string {
  const h = createHash('sha1').update(`member:${originId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
