/** A person in the directory (Entra ID), as policy and onboarding need them. */
export interface DirectoryUser {
  /** Entra object id (also the Teams aadObjectId). */
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string | null;
  jobTitle: string | null;
  department: string | null;
  /** False for disabled accounts and for joiners whose account is not switched on yet. */
  accountEnabled: boolean;
}

/** A directory group; a Teams team is a group with `isTeam`. */
export interface DirectoryGroup {
  id: string;
  displayName: string;
  mail: string | null;
  isTeam: boolean;
}
