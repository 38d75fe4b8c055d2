/**
 * What an owner does from a digest card: Fix (a pull request on the entity's catalog-info.yaml),
 * Snooze 30 days, Not applicable (with a reason). Decided at the click: only a member of the
 * owning team or of a platform group acts (TeamAccessPolicy); a check that passes now or an
 * entity that is gone gets a clear answer; every attempt is audited, refusals included.
 * Fix is idempotent: one branch per (entity, rule) and `ensure*` calls, so a double click or a
 * Teams retry finds the same branch, commit and pull request.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { Actor, AccessDecision } from '../access/team-access.policy';
import type { AuditLog } from '../audit/audit.port';
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import type { HealthRunStore } from '../catalog-health/health-run-store.port';
import type { HealthWaiverStore } from '../catalog-health/health-waiver-store.port';
import type { FixKind, HealthFinding, HealthRuleId, HealthWaiver } from '../catalog-health/health.types';
import { DomainError, isDomainError } from '../domain-error';
import type { RepositoryProvisioning } from '../repos/repository-provisioning.port';
import type { SourceControl } from '../repos/source-control.port';
import { editDescriptor, type DescriptorFix } from './descriptor-edit';
import type { FixRecord } from './digest.types';
import type { FixRecordStore } from './fix-record-store.port';
import { parseFixInput } from './fix-input';
import type { RuleInfoLookup } from './rule-presentation';

export const SNOOZE_DAYS = 30;
const REASON_MIN = 3;
const REASON_MAX = 500;
const DESCRIPTOR = '/catalog-info.yaml';

/** One check of one entity, as a card button names it. */
export interface CheckRef {
  team: string;
  ref: string;
  ruleId: HealthRuleId;
}

export type FixOutcome =
  | { kind: 'pull-request'; record: FixRecord; created: boolean }
  /** The entity was not imported from Azure DevOps: what to add to its file by hand. */
  | { kind: 'by-hand'; location: string; snippet: string };

export interface HealthActionsDeps {
  catalog: Pick<CatalogStore, 'get' | 'getMany'>;
  policy: { canActFor(actor: Actor, team: CatalogEntity): Promise<AccessDecision> };
  runs: HealthRunStore;
  waivers: HealthWaiverStore;
  fixes: FixRecordStore;
  audit: AuditLog;
  rules: RuleInfoLookup;
  /** Absent where Azure DevOps is not configured: Fix answers with the snippet to add by hand. */
  sourceControl?: Pick<SourceControl, 'getRepository' | 'readFile'>;
  provisioning?: Pick<RepositoryProvisioning, 'ensureInitialCommit' | 'ensureBranch' | 'ensureFiles' | 'ensurePullRequest'>;
  linkHosts: readonly string[];
  clock?: () => Date;
}

export interface ActionContext {
  actor: Actor;
  activityId?: string;
}

export class HealthActionsService {
  private readonly clock: () => Date;

  constructor(private readonly deps: HealthActionsDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Before a form is shown: the same checks as the action itself (who, still failing, fixable). */
  async prepareFix(ctx: ActionContext, check: CheckRef): Promise<{ entity: CatalogEntity; finding: HealthFinding; fix: FixKind }> {
    return this.audited(ctx, 'catalog-health.fix-form', check, async () => {
      const { entity, finding } = await this.allowedAndCurrent(ctx, check);
      return { entity, finding, fix: this.fixKindOf(check.ruleId) };
    }, { quiet: true });
  }

  async prepareWaiver(ctx: ActionContext, check: CheckRef): Promise<{ entity: CatalogEntity; finding: HealthFinding }> {
    return this.audited(ctx, 'catalog-health.waiver-form', check, () => this.allowedAndCurrent(ctx, check), { quiet: true });
  }

  async snooze(ctx: ActionContext, check: CheckRef): Promise<HealthWaiver> {
    return this.audited(ctx, 'catalog-health.snooze', check, async () => {
      await this.allowedAndCurrent(ctx, check);
      const at = this.clock();
      const waiver: HealthWaiver = { ref: check.ref, ruleId: check.ruleId, kind: 'snooze', until: new Date(at.getTime() + SNOOZE_DAYS * 24 * 3600_000), by: { id: ctx.actor.id, name: ctx.actor.name }, at };
      await this.deps.waivers.put(waiver);
      return waiver;
    });
  }

  async notApplicable(ctx: ActionContext, check: CheckRef, reason: string | undefined): Promise<HealthWaiver> {
    return this.audited(ctx, 'catalog-health.not-applicable', check, async () => {
      const why = (reason ?? '').replace(/\s+/g, ' ').trim();
      if (why.length < REASON_MIN) throw new DomainError('DIGEST.REASON_REQUIRED', 'not applicable without a reason', { min: REASON_MIN });
      if (why.length > REASON_MAX) throw new DomainError('DIGEST.REASON_TOO_LONG', `reason of ${why.length} characters`, { max: REASON_MAX, length: why.length });
      await this.allowedAndCurrent(ctx, check);
      const waiver: HealthWaiver = { ref: check.ref, ruleId: check.ruleId, kind: 'not-applicable', reason: why, by: { id: ctx.actor.id, name: ctx.actor.name }, at: this.clock() };
      await this.deps.waivers.put(waiver);
      return waiver;
    }, { details: { reason } });
  }

  async fix(ctx: ActionContext, check: CheckRef, value: string | undefined): Promise<FixOutcome> {
    return this.audited(ctx, 'catalog-health.fix', check, async () => {
      const kind = this.fixKindOf(check.ruleId); // a rule no form fixes is refused before anything is read
      const { entity } = await this.allowedAndCurrent(ctx, check);
      const fix = await parseFixInput(kind, value, { catalog: this.deps.catalog, linkHosts: this.deps.linkHosts, namespace: entity.namespace });
      const where = azureDevOpsLocation(entity.location);
      if (!where || !this.deps.sourceControl || !this.deps.provisioning) return { kind: 'by-hand', location: entity.location, snippet: snippetFor(fix) } as FixOutcome;
      return this.pullRequest(ctx, check, entity, fix, where);
    }, { details: { value } });
  }

  private async pullRequest(ctx: ActionContext, check: CheckRef, entity: CatalogEntity, fix: DescriptorFix, where: { project: string; repository: string; path: string }): Promise<FixOutcome> {
    const sc = this.deps.sourceControl!;
    const provisioning = this.deps.provisioning!;
    const repo = await sc.getRepository(where.project, where.repository);
    if (!repo?.defaultBranch) throw new DomainError('DIGEST.REPOSITORY_GONE', `${where.project}/${where.repository} does not exist or has no commits`, { project: where.project, repository: where.repository });
    const text = await sc.readFile(where.project, where.repository, where.path, repo.defaultBranch);
    if (text === null) throw new DomainError('DIGEST.DESCRIPTOR_GONE', `${where.path} is not on ${repo.defaultBranch} of ${where.project}/${where.repository}`, { file: where.path, project: where.project, repository: where.repository });
    const edited = await editDescriptor(text, entity, fix, where.path);
    if (!edited.changed) throw new DomainError('DIGEST.ALREADY_IN_FILE', `${where.path} already says so; the catalog shows it after the next import`, { file: where.path });
    const branch = fixBranch(entity, check.ruleId);
    // Read-only here: the default branch has commits, so this returns its head and pushes nothing.
    const head = await provisioning.ensureInitialCommit(where.project, repo.id, repo.defaultBranch, [], 'unused');
    await provisioning.ensureBranch(where.project, repo.id, branch, head.commitId);
    const info = this.deps.rules(check.ruleId);
    await provisioning.ensureFiles(where.project, repo.id, branch, [{ path: where.path, content: edited.text }], `${info.title}: ${describeFix(fix)} (from the catalog digest)`);
    const pr = await provisioning.ensurePullRequest(where.project, repo.id, {
      sourceBranch: branch,
      targetBranch: repo.defaultBranch,
      title: `Catalog: ${describeFix(fix)} for ${entity.name}`,
      description: `Fixes the catalog health check "${info.title}" of ${entity.ref}: ${describeFix(fix)}.\n\nOpened from the weekly catalog digest by ${ctx.actor.name}. Comments and layout of ${where.path} are kept; the file was validated as Backstage validates it.`,
    });
    const record: FixRecord = { ref: check.ref, ruleId: check.ruleId, team: check.team, pullRequestId: pr.id, url: pr.url, branch, by: { id: ctx.actor.id, name: ctx.actor.name }, at: this.clock() };
    await this.deps.fixes.put(record);
    return { kind: 'pull-request', record, created: pr.created };
  }

  private fixKindOf(ruleId: HealthRuleId): FixKind {
    const fix = this.deps.rules(ruleId).fix;
    if (!fix) throw new DomainError('DIGEST.NOT_FIXABLE', `rule ${ruleId} has no Fix form`, { rule: this.deps.rules(ruleId).title });
    return fix;
  }

  /** Refused unless the actor may act for the team, the entity exists and the check still fails in the latest run. */
  private async allowedAndCurrent(ctx: ActionContext, check: CheckRef): Promise<{ entity: CatalogEntity; finding: HealthFinding }> {
    const decision = await this.deps.policy.canActFor(ctx.actor, await this.teamFor(check.team));
    if (!decision.allowed) throw new DomainError('ACCESS.DENIED', decision.reason, { reason: decision.reason });
    const entity = await this.deps.catalog.get(check.ref);
    if (!entity || entity.status !== 'active') throw new DomainError('DIGEST.ENTITY_GONE', `${check.ref} is no longer in the catalog`, { entity: check.ref });
    const [latest] = await this.deps.runs.latestRuns(1);
    const part = latest ? await this.deps.runs.teamHealth(latest.id, check.team) : null;
    const finding = part?.findings.find((f) => f.ref === check.ref && f.ruleId === check.ruleId);
    if (!finding) throw new DomainError('DIGEST.CHECK_PASSES', `${check.ref} passes ${check.ruleId} in the latest run`, { entity: entity.name, rule: this.deps.rules(check.ruleId).title });
    return { entity, finding };
  }

  /**
   * The entity the policy decides on. A User owner acts for itself (its own ref as the only
   * member); an owner not in the catalog has no members, so only platform groups may act.
   */
  private async teamFor(team: string): Promise<CatalogEntity> {
    const entity = await this.deps.catalog.get(team);
    if (entity?.kind === 'Group' && entity.status === 'active') return entity;
    if (entity?.kind === 'User' && entity.status === 'active') return { ...entity, members: [entity.ref], profile: { ...(entity.profile?.displayName ? { displayName: entity.profile.displayName } : {}) } };
    const name = team.replace(/^[^:]+:(?:[^/]+\/)?/, '');
    return { ref: team, kind: 'Group', namespace: 'default', name, tags: [], aliases: [], relations: [], contacts: {}, links: [], source: { pipelines: [] }, members: [], location: '', sourceHash: '', status: 'orphaned', deployments: [], revision: 0, updatedAt: new Date(0) };
  }

  private async audited<T>(ctx: ActionContext, action: string, check: CheckRef, run: () => Promise<T>, options: { details?: Record<string, unknown>; quiet?: boolean } = {}): Promise<T> {
    const base = { actor: ctx.actor.id, actorName: ctx.actor.name, action, target: `${check.ref}#${check.ruleId}`, ...(ctx.activityId ? { activityId: ctx.activityId } : {}) };
    const details = { team: check.team, ...options.details };
    try {
      const result = await run();
      // Opening a form changes nothing: audited only when refused.
      if (!options.quiet) await this.deps.audit.record({ ...base, result: 'success', details: { ...details, ...outcomeDetails(result) } });
      return result;
    } catch (e) {
      const denied = isDomainError(e) && e.code === 'ACCESS.DENIED';
      await this.deps.audit.record({ ...base, result: denied ? 'denied' : 'failure', details: { ...details, code: isDomainError(e) ? e.code : 'UNEXPECTED' } });
      throw e;
    }
  }
}

function outcomeDetails(result: unknown): Record<string, unknown> {
  const r = (result ?? {}) as { kind?: string; record?: FixRecord; created?: boolean; location?: string; until?: Date };
  if (r.kind === 'pull-request') return { pullRequest: r.record?.url, created: r.created };
  if (r.kind === 'by-hand') return { byHand: true, location: r.location };
  if (r.until instanceof Date) return { until: r.until.toISOString() };
  return {};
}

/** `azure-devops:<Project>/<repo>[/<path>]` -> where its catalog-info.yaml is; null for any other location. */
export function azureDevOpsLocation(location: string): { project: string; repository: string; path: string } | null {
  const m = /^azure-devops:([^/]+)\/([^/]+)(\/.+)?$/.exec(location);
  if (!m) return null;
  return { project: m[1]!, repository: m[2]!, path: m[3] ?? DESCRIPTOR };
}

/** One branch per entity and rule: a second submit (double click, Teams retry, a new value) lands on the same pull request. */
export function fixBranch(entity: Pick<CatalogEntity, 'ref' | 'name'>, ruleId: HealthRuleId): string {
  const slug = entity.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'entity';
  const hash = createHash('sha256').update(`${entity.ref}#${ruleId}`).digest('hex').slice(0, 8);
  return `idp/catalog-fix/${slug}-${ruleId}-${hash}`;
}

export function describeFix(fix: DescriptorFix): string {
  switch (fix.kind) {
    case 'owner':
      return `owner ${fix.owner}`;
    case 'lifecycle':
      return `lifecycle ${fix.lifecycle}`;
    case 'on-call':
      return `on-call rotation ${fix.rotation}`;
    case 'contact':
      return 'email' in fix ? `contact ${fix.email}` : 'Teams channel';
    case 'runbook':
    case 'dashboard':
      return `${fix.kind} link`;
  }
}

/** The YAML to add by hand, as it sits in a descriptor (merged into the entity's own document). */
export function snippetFor(fix: DescriptorFix): string {
  const annotations = (key: string, value: string) => ({ metadata: { annotations: { [key]: value } } });
  const body = (() => {
    switch (fix.kind) {
      case 'owner':
        return { spec: { owner: fix.owner } };
      case 'lifecycle':
        return { spec: { lifecycle: fix.lifecycle } };
      case 'on-call':
        return annotations('idp.dev/oncall-rotation', fix.rotation);
      case 'contact':
        return 'email' in fix ? annotations('idp.dev/email', fix.email) : annotations('idp.dev/teams-channel-url', fix.teamsChannelUrl);
      case 'runbook':
      case 'dashboard':
        return { metadata: { links: [{ url: fix.url, title: fix.title, type: fix.kind }] } };
    }
  })();
  return stringify(body);
}
