/**
 * "add pipeline to <repo>" for an existing repository: find it, read its root to detect the stack,
 * say so when it already has a pipeline, learn its owner (its catalog-info.yaml, else the catalog),
 * check the requester may act for that team, store a preview; on the requester's Confirm (policy
 * decided again) run the add-pipeline job, once whatever the number of clicks.
 */
import type { Actor, TeamAccessPolicy } from '../access/team-access.policy';
import type { AuditLog } from '../audit/audit.port';
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import { parseDescriptors } from '../catalog/descriptor-parser';
import type { JobRunner } from '../jobs/job-runner';
import type { NotifyTarget } from '../conversations/conversations.types';
import type { Job } from '../jobs/jobs.types';
import { detectStack, type StackDetection } from '../pipelines/golden-pipeline';
import type { Environment, Stack } from '../pipelines/pipelines.types';
import { DomainError } from '../domain-error';
import { ADD_PIPELINE_JOB, addPipelineFiles, type AddPipelineJobInput } from './add-pipeline.job';
import { repoTarget } from './create-repo.job';
import { isGeneratorSafeName } from './repo-naming';
import type { RepoSettings } from './repo-settings';
import type { PipelineInfo, RepositoryProvisioning } from './repository-provisioning.port';
import type { RepositoryInfo } from './repos.types';
import type { SourceControl } from './source-control.port';
import type { PendingPipelineRequest, PipelineRequestStore } from './pipeline-request-store.port';
import { teamOwner, teamRef } from './team-lookup';

export type Inspection =
  | { kind: 'not-found'; repository: string; searched: string[] }
  | { kind: 'choose-project'; repository: string; projects: string[] }
  | { kind: 'unsupported'; repository: RepositoryInfo; reason: string }
  | { kind: 'has-pipeline'; repository: RepositoryInfo; pipelines: PipelineInfo[] }
  | { kind: 'ready'; repository: RepositoryInfo & { defaultBranch: string }; detection: StackDetection; hasDescriptor: boolean; ownerTeam?: string };

export interface AddPipelineRequest {
  repository: RepositoryInfo & { defaultBranch: string };
  stack: Stack;
  environments: Environment[];
  /** The owner the repository's descriptor or the catalog names; else the one the requester gave. */
  ownerTeam: string;
  hasDescriptor: boolean;
}

export interface AddPipelineServiceDeps {
  settings: RepoSettings;
  sourceControl: SourceControl;
  provisioning: RepositoryProvisioning;
  catalog: CatalogStore;
  policy: TeamAccessPolicy;
  jobs: Pick<JobRunner, 'enqueue' | 'get' | 'retry' | 'findByKey'>;
  requests: PipelineRequestStore;
  audit: AuditLog;
  now?: () => Date;
}

export interface PipelineRequester extends Actor {
  /** Teams channel user id (29:...), for the preview's per-user refresh. */
  channelId?: string;
}

export class AddPipelineService {
  private readonly now: () => Date;

  constructor(private readonly deps: AddPipelineServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** `repository` is a name, optionally with its project ("Payments/payments-web" or project given apart). */
  async inspect(repository: string, project?: string): Promise<Inspection> {
    const { sourceControl } = this.deps;
    const [given, name] = repository.includes('/') ? (repository.split('/', 2) as [string, string]) : [project, repository];
    const projects = given ? [given] : await this.projects();
    const found = (await Promise.all(projects.map((p) => sourceControl.getRepository(p, name)))).filter((r): r is RepositoryInfo => r !== null);
    if (!found.length) return { kind: 'not-found', repository: name, searched: projects };
    if (found.length > 1) return { kind: 'choose-project', repository: name, projects: found.map((r) => r.project) };
    const repo = found[0]!;
    if (!repo.defaultBranch || repo.isEmpty) return { kind: 'unsupported', repository: repo, reason: 'it has no commits yet: push some code first (or use "create repo" for a new service)' };
    if (!isGeneratorSafeName(repo.name)) return { kind: 'unsupported', repository: repo, reason: 'its name has characters a pipeline and the catalog cannot use (letters, digits and single - _ . only)' };

    const [pipelines, files] = await Promise.all([
      this.deps.provisioning.findPipelinesForRepository(repo.project, repo.id),
      sourceControl.listFiles(repo.project, repo.name, { branch: repo.defaultBranch }),
    ]);
    if (pipelines.length) return { kind: 'has-pipeline', repository: repo, pipelines };
    const hasDescriptor = files.some((f) => f.replace(/^\//, '').toLowerCase() === 'catalog-info.yaml');
    const ownerTeam = await this.ownerOf(repo, hasDescriptor);
    return { kind: 'ready', repository: { ...repo, defaultBranch: repo.defaultBranch }, detection: detectStack(files), hasDescriptor, ...(ownerTeam ? { ownerTeam } : {}) };
  }

  /** The catalog Group of that name, or why it cannot own the repository. */
  async team(name: string): Promise<CatalogEntity> {
    const group = await this.deps.catalog.get(teamRef(name.trim().replace(/^group:(default\/)?/i, '')));
    if (!group || group.status !== 'active' || group.kind !== 'Group') throw new DomainError('REPOS.UNKNOWN_TEAM', `no active catalog Group "${name}"`, { team: name });
    return group;
  }

  /**
   * Everything the job will do, checked now: the owner team exists, the requester may act for it,
   * and the generators accept the inputs. Throws ACCESS.DENIED (audited) or a DomainError in words.
   */
  async prepare(request: AddPipelineRequest, actor: Actor): Promise<AddPipelineJobInput> {
    const group = await this.team(request.ownerTeam);
    await this.authorize(actor, group, request.repository);
    const { settings } = this.deps;
    const { repository } = request;
    const input: AddPipelineJobInput = {
      target: repoTarget(repository.project, repository.name),
      requestedBy: { id: actor.id, name: actor.name, ...(actor.email ? { email: actor.email } : {}) },
      project: repository.project,
      repository: { id: repository.id, name: repository.name, webUrl: repository.webUrl, defaultBranch: repository.defaultBranch },
      stack: request.stack,
      environments: request.environments,
      ownerTeam: group.name,
      owner: teamOwner(group),
      description: `${repository.name}, owned by ${group.profile?.displayName ?? group.name}.`,
      addDescriptor: !request.hasDescriptor,
      settings: { orgUrl: settings.orgUrl, registry: settings.registry, ...(settings.variableGroupPrefix !== undefined ? { variableGroupPrefix: settings.variableGroupPrefix } : {}) },
    };
    addPipelineFiles(input); // the generators refuse bad inputs here, in the turn, not in the job
    return input;
  }

  /** Everything checked (prepare), nothing changed: the preview is stored for the requester's Confirm. */
  async preview(request: AddPipelineRequest, requester: PipelineRequester): Promise<PendingPipelineRequest> {
    const input = await this.prepare(request, requester);
    const now = this.now();
    const pending = await this.deps.requests.insert({
      status: 'pending',
      input,
      hasDescriptor: request.hasDescriptor,
      ...(requester.channelId ? { requesterChannelId: requester.channelId } : {}),
      createdAt: now,
      updatedAt: now,
    });
    await this.audit(requester, 'repo.add-pipeline.preview', { project: input.project, name: input.repository.name }, 'success', { requestId: pending.id, stack: input.stack });
    return pending;
  }

  getRequest(id: string): Promise<PendingPipelineRequest | null> {
    return this.deps.requests.get(id);
  }

  /** The job of a confirmed request (null before Confirm). */
  jobOf(request: PendingPipelineRequest): Promise<Job | null> {
    return request.status === 'confirmed' ? this.deps.jobs.findByKey(ADD_PIPELINE_JOB, request.id) : Promise.resolve(null);
  }

  /**
   * Starts the job: the requester only, the team and policy decided again now. A second click, a
   * Teams retry or a duplicated activity gets the same job: its idempotency key is the request id.
   */
  async confirm(requestId: string, actor: Actor, notify: NotifyTarget): Promise<{ job: Job; request: PendingPipelineRequest; created: boolean }> {
    let request = await this.requireRequest(requestId);
    this.requireRequester(request, actor, 'confirm');
    if (request.status === 'cancelled') throw cancelledError(request);
    if (request.status === 'pending') {
      if (this.now().getTime() - request.createdAt.getTime() > this.deps.settings.requestTtlMs) {
        throw new DomainError('REPOS.REQUEST_EXPIRED', `pipeline request ${request.id} is older than the preview lifetime`, { requestId, startAgain: startAgainOf(request) });
      }
      const { input } = request;
      await this.authorize(actor, await this.team(input.ownerTeam), { project: input.project, name: input.repository.name });
      request = (await this.deps.requests.transition(request.id, 'pending', 'confirmed', actor.id, this.now())) ?? (await this.requireRequest(requestId));
      // Cancelled meanwhile (the other click won): nothing starts.
      if (request.status === 'cancelled') throw cancelledError(request);
    }
    const { input } = request;
    const result = await this.deps.jobs.enqueue({ type: ADD_PIPELINE_JOB, idempotencyKey: request.id, input, context: { ...notify }, requestedBy: actor.id });
    if (result.created) await this.audit(actor, 'repo.add-pipeline.start', { project: input.project, name: input.repository.name }, 'success', { jobId: result.job.id, requestId, stack: input.stack });
    return { ...result, request };
  }

  /** Before Confirm only; nothing was changed, nothing is. */
  async cancel(requestId: string, actor: Actor): Promise<PendingPipelineRequest> {
    const request = await this.requireRequest(requestId);
    this.requireRequester(request, actor, 'cancel');
    if (request.status === 'cancelled') return request;
    if (request.status === 'confirmed') {
      throw new DomainError('REPOS.ALREADY_CONFIRMED', `pipeline request ${request.id} is already confirmed`, { project: request.input.project, name: request.input.repository.name });
    }
    const moved = await this.deps.requests.transition(request.id, 'pending', 'cancelled', actor.id, this.now());
    if (!moved) return this.cancel(requestId, actor); // confirmed or cancelled meanwhile: answer for that
    await this.audit(actor, 'repo.add-pipeline.cancel', { project: request.input.project, name: request.input.repository.name }, 'success', { requestId });
    return moved;
  }

  getJob(id: string): Promise<Job | null> {
    return this.deps.jobs.get(id);
  }

  async retry(jobId: string, actor: Actor): Promise<Job> {
    const job = await this.deps.jobs.get(jobId);
    if (!job || job.type !== ADD_PIPELINE_JOB) throw new DomainError('JOB.NOT_FOUND', `no add-pipeline job ${jobId}`, { jobId });
    const input = job.input as unknown as AddPipelineJobInput;
    if (input.requestedBy.id !== actor.id) throw new DomainError('REPOS.NOT_REQUESTER', `${actor.id} is not the requester of job ${jobId}`, { requester: input.requestedBy.name, name: input.repository.name, action: 'retry' });
    await this.authorize(actor, await this.team(input.ownerTeam), { project: input.project, name: input.repository.name });
    return this.deps.jobs.retry(jobId, actor.id);
  }

  private async requireRequest(id: string): Promise<PendingPipelineRequest> {
    const request = await this.deps.requests.get(id);
    if (!request) throw new DomainError('REPOS.REQUEST_NOT_FOUND', `no pipeline request ${id}`, { requestId: id, startAgain: 'add pipeline to <repository>' });
    return request;
  }

  private requireRequester(request: PendingPipelineRequest, actor: Actor, what: string): void {
    const by = request.input.requestedBy;
    if (by.id !== actor.id) throw new DomainError('REPOS.NOT_REQUESTER', `${actor.id} is not the requester of ${request.id}`, { requester: by.name, name: request.input.repository.name, action: what });
  }

  private async projects(): Promise<string[]> {
    const configured = this.deps.settings.projects;
    return configured.length ? [...configured] : (await this.deps.sourceControl.listProjects()).map((p) => p.name);
  }

  /** The descriptor in the repository says who owns it; else a catalog Component of the same name does. */
  private async ownerOf(repo: RepositoryInfo, hasDescriptor: boolean): Promise<string | undefined> {
    if (hasDescriptor) {
      const text = await this.deps.sourceControl.readFile(repo.project, repo.name, '/catalog-info.yaml', repo.defaultBranch);
      const parsed = text ? await parseDescriptors(text, `azure-devops:${repo.project}/${repo.name}`) : undefined;
      const owner = parsed?.entities.find((e) => e.kind === 'Component' && e.owner)?.owner;
      if (owner?.startsWith('group:')) return owner.replace(/^group:[^/]*\//, '');
    }
    const component = await this.deps.catalog.get(`component:default/${repo.name}`.toLowerCase());
    return component?.owner?.startsWith('group:') ? component.owner.replace(/^group:[^/]*\//, '') : undefined;
  }

  private async authorize(actor: Actor, group: CatalogEntity, repo: { project: string; name: string }): Promise<void> {
    const decision = await this.deps.policy.canActFor(actor, group);
    if (decision.allowed) return;
    await this.audit(actor, 'repo.add-pipeline.authorize', repo, 'denied', { reason: decision.reason });
    throw new DomainError('ACCESS.DENIED', decision.reason, { reason: decision.reason });
  }

  private audit(actor: Actor, action: string, repo: { project: string; name: string }, result: 'success' | 'denied', details: Record<string, unknown>): Promise<void> {
    return this.deps.audit.record({ actor: actor.id, actorName: actor.name, action, target: repoTarget(repo.project, repo.name), result, details });
  }
}

const startAgainOf = (request: PendingPipelineRequest): string => `add pipeline to ${request.input.project}/${request.input.repository.name}`;

const cancelledError = (request: PendingPipelineRequest): DomainError =>
  new DomainError('REPOS.REQUEST_CANCELLED', `pipeline request ${request.id} was cancelled`, { name: request.input.repository.name, startAgain: startAgainOf(request) });
