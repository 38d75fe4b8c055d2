/**
 * Asking for someone's offboarding from a team, and starting it once approved. The preview finds
 * what there is to take back: what the bot granted (the onboarding records' grants) and what the
 * team's configuration lists, checked against what the person has now; present ones will be
 * removed, missing ones are reported as already gone. Nothing else is ever touched: not other
 * teams' access, not an Azure DevOps entitlement the bot did not create (or another team of theirs
 * still uses). Same approval as onboarding: the person's manager, else the team lead.
 */
import type { Directory } from '../access/directory.port';
import type { Actor, TeamAccessPolicy } from '../access/team-access.policy';
import type { ApprovalService, AskOutcome } from '../approvals/approval.service';
import type { ApprovalRequest, ApprovalSummary } from '../approvals/approval.types';
import type { AuditLog } from '../audit/audit.port';
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import { DomainError } from '../domain-error';
import type { JobRunner } from '../jobs/job-runner';
import type { Job } from '../jobs/jobs.types';
import { accessPlanFor, teamLabel } from './access-plan';
import { APPROVER_SOURCE_WORDS, chooseApprover } from './approver-choice';
import type { DevOpsAccess, ProjectGroupRef } from './devops-access.port';
import { OFFBOARDING_JOB, type OffboardingJobInput } from './offboarding.job';
import type { OnboardInput } from './onboarding-input';
import type { OnboardingRoles, TeamFinder } from './onboarding-request.service';
import { refOf } from './onboarding-request.service';
import type { OnboardingStore } from './onboarding-store.port';
import { grantKey, OFFBOARD_FLOW, type OffboardingAsk, type OnboardingRecord } from './onboarding.types';
import { askManager, noTeamProblem } from './manager-approval';
import { findPerson, personOf } from './people-lookup';
import type { WorkspaceMemberships, WorkspaceTarget } from './workspace-memberships.port';

export interface OffboardingDeps {
  directory: Directory;
  catalog: Pick<CatalogStore, 'get'>;
  teams: TeamFinder;
  memberships: Pick<WorkspaceMemberships, 'channelsOf' | 'isMember'>;
  devops: Pick<DevOpsAccess, 'entitlementOf'>;
  policy: Pick<TeamAccessPolicy, 'canActFor'>;
  approvals: Pick<ApprovalService, 'request' | 'findPending'>;
  onboardings: Pick<OnboardingStore, 'activeFor'>;
  jobs: Pick<JobRunner, 'enqueue' | 'findByKey'>;
  settings: Pick<OnboardingRoles, 'devopsAccessLevel'>;
  audit: AuditLog;
}

export interface OffboardingPreview {
  ask: OffboardingAsk;
  summary: ApprovalSummary;
  warnings: string[];
  pending?: ApprovalRequest;
}

export const offboardSubject = (personId: string, teamRef: string): string => `offboard:${personId.toLowerCase()}:${teamRef}`;
const groupKey = (g: ProjectGroupRef) => `${g.project.toLowerCase()}/${g.group}`;

export class OffboardingService {
  constructor(private readonly deps: OffboardingDeps) {}

  async preview(input: OnboardInput, requester: Actor): Promise<OffboardingPreview> {
    if (!input.person?.trim()) throw new DomainError('ONBOARDING.REQUEST_INVALID', 'offboarding without a person', { problems: ['missing: person (offboard <name or userPrincipalName> team=<team>)'] });
    const found = await findPerson(this.deps.directory, input.person, 'person');
    if ('problem' in found) throw new DomainError('ONBOARDING.REQUEST_INVALID', found.problem, { problems: [found.problem] });
    const person = personOf(found.user);
    const records = await this.deps.onboardings.activeFor(person.id);
    const team = await this.teamOf(input, records, person.name);
    const decision = await this.deps.policy.canActFor(requester, team);
    if (!decision.allowed) {
      await this.deps.audit.record({ actor: requester.id, actorName: requester.name, action: 'offboarding.request', target: team.ref, result: 'denied', details: { reason: decision.reason } });
      throw new DomainError('ONBOARDING.NOT_ALLOWED', `${requester.id} may not ask for offboarding from ${team.ref}`, { reason: decision.reason });
    }
    const mine = records.filter((r) => r.team.ref === team.ref);
    const others = records.filter((r) => r.team.ref !== team.ref);
    const { plan, warnings } = await accessPlanFor(team, await this.deps.teams.owned(team), this.deps.settings.devopsAccessLevel, { memberships: this.deps.memberships, directory: this.deps.directory });

    // Workspace: what the bot granted for this team, plus what the team lists; only present ones are removed.
    // What another team's onboarding of the person granted (a directory group both teams list) stays.
    const candidates = new Map<string, WorkspaceTarget>();
    for (const r of mine) for (const g of r.grants) if (g.kind === 'workspace') candidates.set(grantKey(g), g.target);
    for (const t of plan.workspace) candidates.set(grantKey({ kind: 'workspace', target: t }), t);
    for (const r of others) for (const g of r.grants) if (g.kind === 'workspace') candidates.delete(grantKey(g));
    const targets = [...candidates.values()];
    const present = targets.length ? await this.deps.memberships.isMember(person.id, targets) : [];
    const workspace = targets.filter((_, i) => present[i]);
    const alreadyGone = targets.filter((_, i) => !present[i]).map((t) => t.name);

    // Azure DevOps: project groups granted or listed; the entitlement only if the bot created it and no other team of theirs keeps it.
    const groups = new Map<string, ProjectGroupRef>();
    for (const r of mine) for (const g of r.grants) if (g.kind === 'devops-group') groups.set(groupKey(g.group), g.group);
    for (const g of plan.devops.groups) groups.set(groupKey(g), g);
    const entitlement = await this.deps.devops.entitlementOf(person.userPrincipalName);
    const has = new Set((entitlement?.groups ?? []).map(groupKey));
    const keptByOthers = new Set(others.flatMap((r) => r.grants.flatMap((g) => (g.kind === 'devops-group' ? [groupKey(g.group)] : []))));
    const devopsGroups = [...groups.values()].filter((g) => has.has(groupKey(g)) && !keptByOthers.has(groupKey(g)));
    for (const g of groups.values()) if (!has.has(groupKey(g))) alreadyGone.push(`Azure DevOps ${g.project}/${g.group}`);
    const botMadeEntitlement = mine.some((r) => r.grants.some((g) => g.kind === 'devops-entitlement'));
    // Every onboarding's job ensures an entitlement (it records a grant only for what it added): any other active one still uses it.
    const removeEntitlement = Boolean(entitlement) && botMadeEntitlement && !others.length;

    const manager = await chooseApprover(person, team, requester.id, this.deps);
    if (!manager) throw new DomainError('ONBOARDING.NO_APPROVER', `nobody but the requester can approve offboarding of ${person.id}`, { person: person.name, team: teamLabel(team) });
    const ask: OffboardingAsk = {
      kind: 'offboard',
      person,
      team: refOf(team),
      manager,
      requester: { id: requester.id, userPrincipalName: requester.email ?? '', name: requester.name },
      remove: { workspace, devops: { entitlement: removeEntitlement, groups: devopsGroups } },
      alreadyGone,
      onboardingIds: mine.map((r) => r.id),
    };
    const pending = await this.deps.approvals.findPending(OFFBOARD_FLOW, offboardSubject(person.id, team.ref));
    return { ask, summary: offboardingSummary(ask), warnings, ...(pending ? { pending } : {}) };
  }

  async ask(input: OnboardInput, requester: Actor, previewId: string, activityId?: string): Promise<{ request: ApprovalRequest; outcome: AskOutcome; preview: OffboardingPreview }> {
    const preview = await this.preview(input, requester);
    const nothing = !preview.ask.remove.workspace.length && !preview.ask.remove.devops.groups.length && !preview.ask.remove.devops.entitlement;
    if (nothing) throw new DomainError('ONBOARDING.NOTHING_TO_REMOVE', `nothing to remove for ${preview.ask.person.id} in ${preview.ask.team.ref}`, { person: preview.ask.person.name, team: preview.ask.team.displayName });
    const subjectKey = offboardSubject(preview.ask.person.id, preview.ask.team.ref);
    const { request, outcome } = await askManager(this.deps.approvals, { flow: OFFBOARD_FLOW, subjectKey, summary: preview.summary, ask: preview.ask }, requester, previewId, activityId);
    return { request, outcome, preview };
  }

  /** The approvals follow-up of an approved offboarding: its job (idempotent on the request id). */
  readonly followUp = async (request: ApprovalRequest, context?: Record<string, unknown>): Promise<void> => {
    if (request.flow !== OFFBOARD_FLOW || request.state !== 'approved') return;
    const ask = request.payload as unknown as OffboardingAsk;
    const by = request.decisions.at(-1)!.by;
    const input: OffboardingJobInput = { offboardingId: request.id, ask, target: `person:${ask.person.id}`, approvedBy: by, requestedBy: { id: request.requester.id, name: request.requester.name } };
    await this.deps.jobs.enqueue({ type: OFFBOARDING_JOB, idempotencyKey: request.id, input, context: (context ?? {}) as Record<string, unknown>, requestedBy: by.id });
  };

  jobOf(requestId: string): Promise<Job | null> {
    return this.deps.jobs.findByKey(OFFBOARDING_JOB, requestId);
  }

  private async teamOf(input: OnboardInput, records: OnboardingRecord[], name: string): Promise<CatalogEntity> {
    const text = input.team?.trim();
    if (text) {
      const team = await this.deps.teams.find(text);
      if (team) return team;
      throw new DomainError('ONBOARDING.REQUEST_INVALID', `no team ${text}`, { problems: [noTeamProblem(text, this.deps.teams.suggest(text))] });
    }
    const teams = [...new Set(records.map((r) => r.team.ref))];
    const only = teams.length === 1 ? await this.deps.catalog.get(teams[0]!) : null;
    if (only) return only;
    const problem = teams.length ? `team: ${name} was onboarded to ${records.map((r) => r.team.name).join(', ')}; say which with team=<team>` : `team: I onboarded ${name} to no team; say which team they leave with team=<team>`;
    throw new DomainError('ONBOARDING.REQUEST_INVALID', problem, { problems: [problem] });
  }
}

export function offboardingSummary(ask: OffboardingAsk): ApprovalSummary {
  const targets = ask.remove.workspace.map((t) => t.name);
  const devops = [...ask.remove.devops.groups.map((g) => `Azure DevOps ${g.project}/${g.group}`), ...(ask.remove.devops.entitlement ? ['the Azure DevOps entitlement the bot gave'] : [])];
  const removal = [...targets, ...devops];
  return {
    title: `Offboard ${ask.person.name} from ${ask.team.displayName}`,
    facts: [
      { label: 'Person', value: `${ask.person.name} (${ask.person.userPrincipalName})` },
      { label: 'Team', value: `${ask.team.displayName} (${ask.team.name})` },
      { label: 'Will remove', value: removal.length ? removal.join(', ') : 'nothing (all already gone)' },
      ...(ask.alreadyGone.length ? [{ label: 'Already gone', value: ask.alreadyGone.join(', ') }] : []),
      { label: 'Approver', value: `${ask.manager.name}, ${APPROVER_SOURCE_WORDS[ask.manager.source]}` },
    ],
  };
}

