/**
 * Asking for a joiner's onboarding: read and check the request (the person exists and is enabled,
 * the team is a catalog Group wired to a Teams team, the role has a dev environment, the start date
 * is sensible, the buddy exists), decide who may ask (team members and leads, the configured
 * people/platform groups: default deny), find the approver, work out exactly what access it means,
 * and only then, on the requester's confirmation, ask for approval. Nothing is granted here.
 */
import type { Actor, TeamAccessPolicy } from '../access/team-access.policy';
import type { Directory } from '../access/directory.port';
import type { ApprovalService, AskOutcome } from '../approvals/approval.service';
import type { ApprovalRequest, ApprovalSummary } from '../approvals/approval.types';
import type { AuditLog } from '../audit/audit.port';
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import { DomainError } from '../domain-error';
import { accessPlanFor, teamLabel } from './access-plan';
import { APPROVER_SOURCE_WORDS, chooseApprover } from './approver-choice';
import type { AccessLevel } from './devops-access.port';
import { checkStartDate, type OnboardInput } from './onboarding-input';
import type { OnboardingStore } from './onboarding-store.port';
import { ONBOARD_FLOW, type AccessPlan, type OnboardingAsk, type OnboardingPerson, type OnboardingTeamRef } from './onboarding.types';
import { askManager, noTeamProblem } from './manager-approval';
import { findPerson, personOf } from './people-lookup';
import type { WorkspaceMemberships } from './workspace-memberships.port';

/** The roles a joiner can have (ids and titles; the dev environment behind each is the welcome's). */
export interface OnboardingRoles {
  roles: Readonly<Record<string, { title: string }>>;
  devopsAccessLevel: AccessLevel;
}

/** Finds a team (catalog Group) by name, ref or title; suggests close names when there is none. */
export interface TeamFinder {
  find(text: string): Promise<CatalogEntity | null>;
  suggest(text: string): string[];
  /** The active entities the team owns (their repositories give the Azure DevOps projects). */
  owned(team: CatalogEntity): Promise<CatalogEntity[]>;
}

export interface OnboardingRequestDeps {
  directory: Directory;
  catalog: Pick<CatalogStore, 'get'>;
  teams: TeamFinder;
  memberships: Pick<WorkspaceMemberships, 'channelsOf'>;
  /** May the requester ask for this team: its members, and the configured people/platform groups. */
  policy: Pick<TeamAccessPolicy, 'canActFor'>;
  approvals: Pick<ApprovalService, 'request' | 'findPending'>;
  onboardings: Pick<OnboardingStore, 'activeFor'>;
  settings: OnboardingRoles;
  audit: AuditLog;
  clock?: () => Date;
}

export interface OnboardingPreview {
  ask: OnboardingAsk;
  summary: ApprovalSummary;
  /** What the catalog lists but the workspace does not have (skipped). */
  warnings: string[];
  /** A request about the same joiner and team already waits: the requester is offered that one. */
  pending?: ApprovalRequest;
}

export const onboardSubject = (joinerId: string, teamRef: string): string => `onboard:${joinerId.toLowerCase()}:${teamRef}`;

export class OnboardingRequestService {
  private readonly clock: () => Date;

  constructor(private readonly deps: OnboardingRequestDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  get roles(): Readonly<Record<string, { title: string }>> {
    return this.deps.settings.roles;
  }

  /** Everything the requester and the approver will see; DomainError for what is wrong or not allowed. Changes nothing. */
  async preview(input: OnboardInput, requester: Actor): Promise<OnboardingPreview> {
    const problems: string[] = [];
    const missing = (['person', 'team', 'role', 'start'] as const).filter((f) => !input[f]?.trim());
    if (missing.length) problems.push(`missing: ${missing.join(', ')}`);
    const [joinerFound, buddyFound, team] = await Promise.all([
      input.person?.trim() ? findPerson(this.deps.directory, input.person, 'person') : null,
      input.buddy?.trim() ? findPerson(this.deps.directory, input.buddy, 'buddy') : null,
      input.team?.trim() ? this.deps.teams.find(input.team) : null,
    ]);
    if (joinerFound && 'problem' in joinerFound) problems.push(joinerFound.problem);
    if (buddyFound && 'problem' in buddyFound) problems.push(buddyFound.problem);
    if (input.team?.trim() && !team) {
      problems.push(noTeamProblem(input.team, this.deps.teams.suggest(input.team)));
    }
    const role = input.role?.trim() ? this.roleOf(input.role) : undefined;
    if (input.role?.trim() && !role) problems.push(`role: "${input.role.trim()}" is not a role with a dev environment (${Object.keys(this.deps.settings.roles).join(', ')})`);
    const start = input.start?.trim() ? checkStartDate(input.start, this.clock()) : undefined;
    if (start && !start.ok) problems.push(`start: ${start.reason}`);
    const joiner = joinerFound && 'user' in joinerFound ? joinerFound.user : undefined;
    const buddy = buddyFound && 'user' in buddyFound ? buddyFound.user : undefined;
    if (joiner && !joiner.accountEnabled) problems.push(`person: the account of ${joiner.displayName} is disabled; it must be enabled before they can be given access`);
    if (buddy && !buddy.accountEnabled) problems.push(`buddy: the account of ${buddy.displayName} is disabled`);
    if (joiner && buddy && joiner.id === buddy.id) problems.push('buddy: the buddy must be someone other than the joiner');
    if (problems.length || !joiner || !team || !role || !start?.ok) {
      throw new DomainError('ONBOARDING.REQUEST_INVALID', `onboarding request refused: ${problems.join('; ')}`, { problems });
    }

    await this.authorize(requester, team);
    const teamRef = refOf(team);
    const subjectKey = onboardSubject(joiner.id, team.ref);
    const pending = await this.deps.approvals.findPending(ONBOARD_FLOW, subjectKey);
    const active = await this.deps.onboardings.activeFor(joiner.id, team.ref);
    if (active[0]) {
      throw new DomainError('ONBOARDING.ALREADY_ONBOARDED', `${joiner.id} is already onboarded to ${team.ref}`, { person: joiner.displayName, team: teamLabel(team), since: active[0].createdAt.toISOString().slice(0, 10), approvedBy: active[0].approvedBy.name });
    }
    const manager = await chooseApprover(personOf(joiner), team, requester.id, this.deps);
    if (!manager) throw new DomainError('ONBOARDING.NO_APPROVER', `nobody but the requester can approve onboarding ${subjectKey}`, { person: joiner.displayName, team: teamLabel(team) });
    const { plan, warnings } = await accessPlanFor(team, await this.deps.teams.owned(team), this.deps.settings.devopsAccessLevel, { memberships: this.deps.memberships, directory: this.deps.directory });
    const ask: OnboardingAsk = {
      kind: 'onboard',
      joiner: personOf(joiner),
      team: teamRef,
      role: role.id,
      startDate: start.date,
      ...(buddy ? { buddy: personOf(buddy) } : {}),
      manager,
      requester: { id: requester.id, userPrincipalName: requester.email ?? '', name: requester.name },
      plan,
    };
    return { ask, summary: onboardingSummary(ask, role.title), warnings, ...(pending ? { pending } : {}) };
  }

  /**
   * The requester confirmed the preview: checked again now (people, policy, access), then one
   * approval request. `previewId` (from the preview card) makes a double click or a Teams retry
   * meet the same request.
   */
  async ask(input: OnboardInput, requester: Actor, previewId: string, activityId?: string): Promise<{ request: ApprovalRequest; outcome: AskOutcome; preview: OnboardingPreview }> {
    const preview = await this.preview(input, requester);
    const subjectKey = onboardSubject(preview.ask.joiner.id, preview.ask.team.ref);
    const { request, outcome } = await askManager(this.deps.approvals, { flow: ONBOARD_FLOW, subjectKey, summary: preview.summary, ask: preview.ask }, requester, previewId, activityId);
    return { request, outcome, preview };
  }

  private roleOf(text: string): { id: string; title: string } | undefined {
    const wanted = text.trim().toLowerCase();
    const entry = Object.entries(this.deps.settings.roles).find(([id, r]) => id.toLowerCase() === wanted || r.title.toLowerCase() === wanted);
    return entry ? { id: entry[0], title: entry[1].title } : undefined;
  }

  private async authorize(requester: Actor, team: CatalogEntity): Promise<void> {
    const decision = await this.deps.policy.canActFor(requester, team);
    if (decision.allowed) return;
    await this.deps.audit.record({ actor: requester.id, actorName: requester.name, action: 'onboarding.request', target: team.ref, result: 'denied', details: { reason: decision.reason } });
    throw new DomainError('ONBOARDING.NOT_ALLOWED', `${requester.id} may not ask for onboarding to ${team.ref}`, { reason: decision.reason });
  }
}

export const refOf = (team: CatalogEntity): OnboardingTeamRef => ({ ref: team.ref, name: team.name, displayName: teamLabel(team) });

const GROUP_WORDS: Record<string, string> = { projectContributor: 'Contributors', projectReader: 'Readers', projectAdministrator: 'Project Administrators', projectStakeholder: 'Stakeholders' };
const LEVEL_WORDS: Record<string, string> = { express: 'Basic', stakeholder: 'Stakeholder', advanced: 'Basic + Test Plans' };

/** The access a plan grants, in words (the preview and the approval card). */
export function accessWords(plan: AccessPlan): { label: string; value: string }[] {
  const team = plan.workspace.find((t) => t.kind === 'team');
  const channels = plan.workspace.filter((t) => t.kind === 'channel').map((t) => `${t.name.split(' / ').pop()} (${t.kind === 'channel' ? t.membershipType : ''})`);
  const groups = plan.workspace.filter((t) => t.kind === 'group').map((t) => t.name);
  const devops = plan.devops.groups.map((g) => `${g.project} ${GROUP_WORDS[g.group] ?? g.group}`);
  return [
    { label: 'Teams', value: `${team?.name ?? '?'}${plan.standardChannels.length ? `, with ${plan.standardChannels.join(', ')}` : ''}` },
    ...(channels.length ? [{ label: 'Channels', value: channels.join(', ') }] : []),
    ...(groups.length ? [{ label: 'Groups', value: groups.join(', ') }] : []),
    { label: 'Azure DevOps', value: `${LEVEL_WORDS[plan.devops.accessLevel] ?? plan.devops.accessLevel} access${devops.length ? `; ${devops.join(', ')}` : ''}` },
  ];
}

export function onboardingSummary(ask: OnboardingAsk, roleTitle: string): ApprovalSummary {
  const who = (p: OnboardingPerson) => `${p.name} (${p.userPrincipalName})`;
  return {
    title: `Onboard ${ask.joiner.name} to ${ask.team.displayName}`,
    facts: [
      { label: 'Person', value: who(ask.joiner) },
      { label: 'Team', value: `${ask.team.displayName} (${ask.team.name})` },
      { label: 'Role', value: roleTitle },
      { label: 'Starts', value: ask.startDate },
      ...(ask.buddy ? [{ label: 'Buddy', value: who(ask.buddy) }] : []),
      { label: 'Approver', value: `${ask.manager.name}, ${APPROVER_SOURCE_WORDS[ask.manager.source]}` },
      ...accessWords(ask.plan),
    ],
  };
}
