/**
 * "create repo": plan (validate everything, create nothing, store a preview), then confirm (the
 * requester only, policy checked again, one durable job per request whatever the number of
 * clicks), cancel, and retry of a failed job. Never sees a TurnContext: the bot hands it plain
 * values and a NotifyTarget it stores with the job (where to report progress).
 */
import type { Actor, TeamAccessPolicy } from '../access/team-access.policy';
import type { AuditLog } from '../audit/audit.port';
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import type { JobRunner } from '../jobs/job-runner';
import type { NotifyTarget } from '../conversations/conversations.types';
import type { Job } from '../jobs/jobs.types';
import { DomainError } from '../domain-error';
import { CREATE_REPO_JOB, repoTarget, type CreateRepoJobInput } from './create-repo.job';
import { buildPreview } from './repo-preview';
import { checkFields, type FieldProblem, type FormField, type RepoFormValues } from './repo-request-fields';
import type { PendingRepoRequest, RepoRequestStore } from './repo-request-store.port';
import type { RepoRequest } from './repo-request';
import type { RepoSettings } from './repo-settings';
import type { RepositoryInfo } from './repos.types';
import type { SkeletonOwner } from './skeleton/skeleton.types';
import type { SourceControl } from './source-control.port';
import { teamOwner, teamRef, teamSuggestions, type TeamSearch } from './team-lookup';

export type PlanResult =
  | { kind: 'ready'; pending: PendingRepoRequest }
  | { kind: 'needs-input'; missing: FormField[]; problems: FieldProblem[]; knownProjects: string[] }
  | { kind: 'exists'; repository: RepositoryInfo }
  | { kind: 'denied'; reason: string };

export interface Requester extends Actor {
  /** Teams channel user id (29:...), for the preview's per-user refresh. */
  channelId?: string;
}

export interface CreateRepoServiceDeps {
  settings: RepoSettings;
  sourceControl: SourceControl;
  catalog: CatalogStore;
  /** Suggests teams for a name the catalog does not know. */
  teamSearch?: TeamSearch;
  policy: TeamAccessPolicy;
  requests: RepoRequestStore;
  jobs: Pick<JobRunner, 'enqueue' | 'get' | 'retry' | 'findByKey'>;
  audit: AuditLog;
  now?: () => Date;
}

export interface Confirmation {
  job: Job;
  request: PendingRepoRequest;
  /** False for a second click (or a retried invoke): the job already existed. */
  created: boolean;
}

export class CreateRepoService {
  private readonly now: () => Date;

  constructor(private readonly deps: CreateRepoServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  get settings(): RepoSettings {
    return this.deps.settings;
  }

  /** Projects a repository may be created in, sorted (what the form offers). */
  async knownProjects(): Promise<string[]> {
    const all = (await this.deps.sourceControl.listProjects()).map((p) => p.name);
    const allowed = new Set(this.deps.settings.projects.map((p) => p.toLowerCase()));
    return allowed.size ? all.filter((p) => allowed.has(p.toLowerCase())) : all;
  }

  /**
   * Everything checked, nothing created: the fields, the project, that the repository does not
   * exist yet, the owner team, and the requester's right to act for it. Ready: the preview is stored.
   */
  async plan(values: RepoFormValues, requester: Requester): Promise<PlanResult> {
    const { settings, sourceControl, catalog } = this.deps;
    const fields = checkFields(values, requesterOf(requester), settings.naming);
    const bad = (f: FormField) => !fields.ok && (fields.missing.includes(f) || fields.problems.some((p) => p.field === f));
    const project = !bad('project') ? values.project?.trim() : undefined;
    const name = !bad('name') ? values.name?.trim() : undefined;
    const team = !bad('ownerTeam') ? values.ownerTeam?.trim().replace(/^group:(default\/)?/i, '') : undefined;

    // The remote checks at once: one round trip of waiting, not three.
    const [knownProjects, existing, group] = await Promise.all([
      this.knownProjects(),
      project && name ? sourceControl.getRepository(project, name) : Promise.resolve(null),
      team ? catalog.get(teamRef(team)) : Promise.resolve(null),
    ]);
    if (existing) return { kind: 'exists', repository: existing };

    const missing = fields.ok ? [] : [...fields.missing];
    const problems = fields.ok ? [] : [...fields.problems];
    const canonicalProject = project ? knownProjects.find((p) => p.toLowerCase() === project.toLowerCase()) : undefined;
    if (project && !canonicalProject) {
      problems.push({ field: 'project', reasons: [`is not a project I can create repositories in (known: ${knownProjects.join(', ') || 'none'})`] });
    }
    const activeGroup = group && group.status === 'active' && group.kind === 'Group' ? group : undefined;
    if (team && !activeGroup) {
      const close = this.deps.teamSearch ? teamSuggestions(this.deps.teamSearch, team) : [];
      problems.push({ field: 'ownerTeam', reasons: [`is not a team in the service catalog${close.length ? ` (did you mean ${close.map((t) => `"${t}"`).join(' or ')}?)` : ''}`] });
    }
    // The right to act for the team is decided as soon as the team is known, before the rest is asked for.
    const decision = activeGroup ? await this.deps.policy.canActFor(requester, activeGroup) : undefined;
    if (decision && !decision.allowed) {
      await this.audit(requester, 'repo.create.plan', { project: canonicalProject ?? project ?? '-', name: name ?? '-' }, 'denied', { reason: decision.reason, team: activeGroup!.name });
      return { kind: 'denied', reason: decision.reason };
    }
    if (missing.length || problems.length || !fields.ok || !decision) return { kind: 'needs-input', missing, problems: sortProblems(problems), knownProjects };

    const request: RepoRequest = { ...fields.request, project: canonicalProject!, ownerTeam: activeGroup!.name };
    const owner = teamOwner(activeGroup!);
    const now = this.now();
    const pending = await this.deps.requests.insert({
      status: 'pending',
      request,
      owner,
      ...(requester.channelId ? { requesterChannelId: requester.channelId } : {}),
      preview: buildPreview(request, owner, settings),
      createdAt: now,
      updatedAt: now,
    });
    await this.audit(requester, 'repo.create.preview', request, 'success', { requestId: pending.id, via: decision.via });
    return { kind: 'ready', pending };
  }

  getRequest(id: string): Promise<PendingRepoRequest | null> {
    return this.deps.requests.get(id);
  }

  getJob(id: string): Promise<Job | null> {
    return this.deps.jobs.get(id);
  }

  /** The job of a confirmed request (null before Confirm). */
  jobOf(request: PendingRepoRequest): Promise<Job | null> {
    return request.status === 'confirmed' ? this.deps.jobs.findByKey(CREATE_REPO_JOB, request.id) : Promise.resolve(null);
  }

  /**
   * Starts the job. Only the requester; the policy is decided again now (membership may have
   * changed since the preview). A second click, a Teams retry or a duplicated activity gets the
   * same job: its idempotency key is the request id.
   */
  async confirm(requestId: string, actor: Actor, notify: NotifyTarget): Promise<Confirmation> {
    let request = await this.requireRequest(requestId);
    await this.requireRequester(request, actor, 'confirm');
    if (request.status === 'cancelled') throw cancelled(request);
    if (request.status === 'pending') {
      if (this.now().getTime() - request.createdAt.getTime() > this.deps.settings.requestTtlMs) {
        throw new DomainError('REPOS.REQUEST_EXPIRED', `request ${request.id} is older than the preview lifetime`, { requestId });
      }
      await this.authorize(request, actor);
      const moved = await this.deps.requests.transition(request.id, 'pending', 'confirmed', actor.id, this.now());
      request = moved ?? (await this.requireRequest(requestId));
      if (request.status === 'cancelled') throw cancelled(request);
    }
    const { job, created } = await this.deps.jobs.enqueue(this.jobRequest(request, notify, actor.id));
    if (created) await this.audit(actor, 'repo.create.confirm', request.request, 'success', { requestId, jobId: job.id });
    return { job, request, created };
  }

  /** Before Confirm only; nothing was created, nothing is. */
  async cancel(requestId: string, actor: Actor): Promise<PendingRepoRequest> {
    const request = await this.requireRequest(requestId);
    await this.requireRequester(request, actor, 'cancel');
    if (request.status === 'cancelled') return request;
    if (request.status === 'confirmed') {
      throw new DomainError('REPOS.ALREADY_CONFIRMED', `${request.request.project}/${request.request.name} is already confirmed`, { project: request.request.project, name: request.request.name });
    }
    const moved = await this.deps.requests.transition(request.id, 'pending', 'cancelled', actor.id, this.now());
    if (!moved) return this.cancel(requestId, actor); // confirmed or cancelled meanwhile: answer for that
    await this.audit(actor, 'repo.create.cancel', request.request, 'success', { requestId });
    return moved;
  }

  /** Resumes a failed job at the step that failed; the requester only, policy decided again. */
  async retry(jobId: string, actor: Actor): Promise<Job> {
    const job = await this.deps.jobs.get(jobId);
    if (!job || job.type !== CREATE_REPO_JOB) throw new DomainError('JOB.NOT_FOUND', `no create-repo job ${jobId}`, { jobId });
    const input = job.input as unknown as CreateRepoJobInput;
    const request = await this.requireRequest(input.requestId);
    await this.requireRequester(request, actor, 'retry');
    await this.authorize(request, actor);
    const retried = await this.deps.jobs.retry(jobId, actor.id);
    await this.audit(actor, 'repo.create.retry', request.request, 'success', { jobId });
    return retried;
  }

  private jobRequest(request: PendingRepoRequest, notify: NotifyTarget, by: string) {
    const { settings } = this.deps;
    const input: CreateRepoJobInput = {
      requestId: request.id,
      target: repoTarget(request.request.project, request.request.name),
      request: request.request,
      requestedBy: request.request.requestedBy,
      owner: request.owner as SkeletonOwner,
      settings: {
        orgUrl: settings.orgUrl,
        defaultBranch: settings.defaultBranch,
        minimumReviewers: settings.minimumReviewers,
        registry: settings.registry,
        ...(settings.variableGroupPrefix !== undefined ? { variableGroupPrefix: settings.variableGroupPrefix } : {}),
      },
    };
    return { type: CREATE_REPO_JOB, idempotencyKey: request.id, input, context: { ...notify }, requestedBy: by };
  }

  private async authorize(request: PendingRepoRequest, actor: Actor): Promise<CatalogEntity> {
    const group = await this.deps.catalog.get(teamRef(request.request.ownerTeam));
    const decision = group && group.status === 'active' ? await this.deps.policy.canActFor(actor, group) : { allowed: false as const, reason: `The team ${request.request.ownerTeam} is no longer in the service catalog.` };
    if (!decision.allowed) {
      await this.audit(actor, 'repo.create.authorize', request.request, 'denied', { requestId: request.id, reason: decision.reason });
      throw new DomainError('ACCESS.DENIED', decision.reason, { reason: decision.reason });
    }
    return group!;
  }

  private async requireRequest(id: string): Promise<PendingRepoRequest> {
    const request = await this.deps.requests.get(id);
    if (!request) throw new DomainError('REPOS.REQUEST_NOT_FOUND', `no repository request ${id}`, { requestId: id });
    return request;
  }

  private async requireRequester(request: PendingRepoRequest, actor: Actor, what: string): Promise<void> {
    if (request.request.requestedBy.id === actor.id) return;
    await this.audit(actor, `repo.create.${what}`, request.request, 'denied', { requestId: request.id, reason: 'not the requester' });
    throw new DomainError('REPOS.NOT_REQUESTER', `${actor.id} is not the requester of ${request.id}`, { requester: request.request.requestedBy.name, name: request.request.name, action: what });
  }

  private audit(actor: Actor, action: string, request: Pick<RepoRequest, 'project' | 'name'>, result: 'success' | 'denied' | 'failure', details: Record<string, unknown>): Promise<void> {
    return this.deps.audit.record({ actor: actor.id, actorName: actor.name, action, target: repoTarget(request.project, request.name), result, details });
  }
}

const requesterOf = (r: Requester): RepoRequest['requestedBy'] => ({ id: r.id, name: r.name, ...(r.email ? { email: r.email } : {}) });

const cancelled = (request: PendingRepoRequest): DomainError =>
  new DomainError('REPOS.REQUEST_CANCELLED', `request ${request.id} was cancelled`, { name: request.request.name });

const FIELD_ORDER: FormField[] = ['name', 'project', 'stack', 'ownerTeam', 'description', 'environments'];
const sortProblems = (problems: FieldProblem[]): FieldProblem[] => [...problems].sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
