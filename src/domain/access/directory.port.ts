import type { DirectoryGroup, DirectoryUser } from './access.types';

/**
 * Who is who in the organisation: read-only lookups that policy (who may approve, who may act for a
 * team) and onboarding use. Unknown ids read as "nothing" (null or []), never as an error, so a
 * deleted user or group simply has no rights. Upstream failures raise DomainError UPSTREAM.*.
 */
export interface Directory {
  /** By object id or userPrincipalName (case-insensitive); null when there is no such user. */
  getUser(idOrUpn: string): Promise<DirectoryUser | null>;
  /** The user's manager; null when the user has none or does not exist. */
  getManager(userId: string): Promise<DirectoryUser | null>;
  /** Every group the user is in, directly or through nested groups; [] for an unknown user. */
  groupsOf(userId: string): Promise<DirectoryGroup[]>;
  /** The people in a group, directly or through nested groups; [] for an unknown group. */
  membersOf(groupId: string): Promise<DirectoryUser[]>;
  /**
   * The group with this display name (case-insensitive); null when none. Display names are not
   * unique in Entra: two matches raise DomainError DIRECTORY.AMBIGUOUS_GROUP rather than guess,
   * because policy decisions hang on the answer.
   */
  findGroupByName(displayName: string): Promise<DirectoryGroup | null>;
  /**
   * People for a type-ahead: up to `limit` users whose display name, userPrincipalName or mail
   * starts with `text` (case-insensitive; any word of the display name counts), enabled or not,
   * ordered by display name. [] for blank text.
   */
  searchUsers(text: string, limit: number): Promise<DirectoryUser[]>;
}
