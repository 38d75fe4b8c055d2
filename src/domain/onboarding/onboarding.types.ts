/**
 * Onboarding and offboarding: who joins (or leaves) which team in which role, who asked, who
 * approves, and exactly what access that means (the plan). The plan is fixed in the approval
 * request's payload, so the job after approval grants what the approver saw.
 */
import type { AccessLevel, ProjectGroupRef } from './devops-access.port';
import type { WorkspaceTarget } from './workspace-memberships.port';

/** A person by Entra object id, with what cards and Azure DevOps need. */
export interface OnboardingPerson {
  id: string;
  userPrincipalName: string;
  name: string;
}

export interface OnboardingTeamRef {
  /** Catalog ref of the Group: `group:default/team-payments`. */
  ref: string;
  name: string;
  displayName: string;
}

/**
 * Where the approver came from: the directory's manager of the person, else the team's lead in the
 * catalog, else (when the requester is that manager or lead) the requester's own manager.
 */
export type ManagerSource = 'directory-manager' | 'catalog-team-lead' | 'requester-manager';

/** Everything a team's onboarding grants (resolved to ids when the request is made). */
export interface AccessPlan {
  /** The Teams team, then its private/shared channels, then directory groups. */
  workspace: WorkspaceTarget[];
  /** Standard channels the joiner sees through team membership (names, for the preview). */
  standardChannels: string[];
  devops: { accessLevel: AccessLevel; groups: ProjectGroupRef[] };
}

export const ONBOARD_FLOW = 'onboarding';
export const OFFBOARD_FLOW = 'offboarding';

/** The payload of an onboarding approval request. */
export interface OnboardingAsk {
  kind: 'onboard';
  joiner: OnboardingPerson;
  team: OnboardingTeamRef;
  role: string;
  /** YYYY-MM-DD. */
  startDate: string;
  buddy?: OnboardingPerson;
  manager: OnboardingPerson & { source: ManagerSource };
  requester: OnboardingPerson;
  plan: AccessPlan;
}

/** The payload of an offboarding approval request: what will be removed, found when it was asked. */
export interface OffboardingAsk {
  kind: 'offboard';
  person: OnboardingPerson;
  team: OnboardingTeamRef;
  manager: OnboardingPerson & { source: ManagerSource };
  requester: OnboardingPerson;
  remove: { workspace: WorkspaceTarget[]; devops: { entitlement: boolean; groups: ProjectGroupRef[] } };
  /** What the team's configuration lists but the person no longer has (for the preview). */
  alreadyGone: string[];
  /** Onboarding records this offboarding closes. */
  onboardingIds: string[];
}

/** Something the bot granted: offboarding takes back exactly these (and what the team lists). */
export type Grant =
  | { kind: 'workspace'; target: WorkspaceTarget; at: Date }
  | { kind: 'devops-entitlement'; accessLevel: string; at: Date }
  | { kind: 'devops-group'; group: ProjectGroupRef; at: Date };

/** A stable key per grant (a re-run step records the same grant once). */
export function grantKey(g: Pick<Grant, 'kind'> & Partial<{ target: WorkspaceTarget; group: ProjectGroupRef }>): string {
  if (g.kind === 'workspace' && g.target) {
    const t = g.target;
    return t.kind === 'team' ? `team:${t.teamId}` : t.kind === 'channel' ? `channel:${t.teamId}/${t.channelId}` : `group:${t.groupId}`;
  }
  if (g.kind === 'devops-group' && g.group) return `devops-group:${g.group.project.toLowerCase()}/${g.group.group}`;
  return 'devops-entitlement';
}

export interface ChecklistItem {
  id: string;
  text: string;
  doneAt?: Date;
  doneBy?: string;
}

/** The welcome card: sent once the joiner can be reached (now, on their first message, or a later retry). */
export interface WelcomeDelivery {
  deliveredAt?: Date;
  /** Where the card is, to update its checklist in place. */
  conversationId?: string;
  activityId?: string;
  /** Why it is not delivered yet (a CONVERSATION.* code); absent once delivered. */
  waitingReason?: string;
  attempts: number;
}

export type OnboardingState = 'provisioning' | 'active' | 'offboarded';

/** One joiner in one team: created when the request is approved, kept until offboarding closes it. */
export interface OnboardingRecord {
  /** The approval request's id. */
  id: string;
  joiner: OnboardingPerson;
  team: OnboardingTeamRef;
  role: string;
  startDate: string;
  buddy?: OnboardingPerson;
  manager: OnboardingPerson & { source: ManagerSource };
  requester: OnboardingPerson;
  approvedBy: OnboardingPerson | { id: string; name: string };
  state: OnboardingState;
  grants: Grant[];
  welcome: WelcomeDelivery;
  checklist: ChecklistItem[];
  /** An unguessable token in the devcontainer.json download link. */
  downloadToken: string;
  createdAt: Date;
  updatedAt: Date;
  /** When every grant was made (markActive): the end of the onboarding lead time. */
  activeAt?: Date;
  offboardedAt?: Date;
}

export type NewOnboardingRecord = Omit<OnboardingRecord, 'grants' | 'welcome' | 'state' | 'updatedAt' | 'activeAt' | 'offboardedAt'>;
