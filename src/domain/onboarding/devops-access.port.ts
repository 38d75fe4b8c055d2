/**
 * Access to Azure DevOps for a person: an organisation entitlement (the access level, which is a
 * licence) and membership of project groups. Granting keeps what the person already has (an
 * existing entitlement is never changed); revoking takes away only what it is told to.
 */

/** A project's built-in group, as the user-entitlements API names it. */
export const PROJECT_GROUP_TYPES = ['projectReader', 'projectContributor', 'projectAdministrator', 'projectStakeholder'] as const;
export type ProjectGroupType = (typeof PROJECT_GROUP_TYPES)[number];

/** Access levels (account licence types) the organisation may give. */
export const ACCESS_LEVELS = ['express', 'stakeholder', 'advanced'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export interface ProjectGroupRef {
  /** Project name. */
  project: string;
  group: ProjectGroupType;
}

export interface DevOpsEntitlement {
  /** The entitlement (member) id in the organisation. */
  id: string;
  principalName: string;
  accessLevel: string;
  /** Project groups the user is in (project names, not ids). */
  groups: ProjectGroupRef[];
}

export interface DevOpsGrant {
  /** True when this call created the entitlement (offboarding may then remove it). */
  entitlementCreated: boolean;
  entitlement: DevOpsEntitlement;
  /** Project groups this call added; the others were there already. */
  groupsAdded: ProjectGroupRef[];
}

export interface DevOpsRevoke {
  entitlementRemoved: boolean;
  groupsRemoved: ProjectGroupRef[];
  /** What was asked to go but was not there. */
  alreadyGone: ProjectGroupRef[];
}

export interface DevOpsAccess {
  /** The user's entitlement, or null when they have none in the organisation. */
  entitlementOf(principalName: string): Promise<DevOpsEntitlement | null>;
  /**
   * Ensures an entitlement (created with `accessLevel` only if the user has none) and membership of
   * `groups`. DomainError ONBOARDING.DEVOPS_PROJECT_NOT_FOUND for an unknown project,
   * ONBOARDING.DEVOPS_USER_REFUSED when the organisation refuses the user (not in its directory, no licence left).
   */
  grant(principalName: string, accessLevel: AccessLevel, groups: ProjectGroupRef[]): Promise<DevOpsGrant>;
  /** Removes the user from `groups`, then the whole entitlement when `entitlement` is true. */
  revoke(principalName: string, what: { entitlement: boolean; groups: ProjectGroupRef[] }): Promise<DevOpsRevoke>;
}
