/**
 * "Open as a pull request" on the welcome card: the joiner's generated devcontainer.json committed
 * as `.devcontainer/devcontainer.json` on a branch of one of the team's repositories, with a pull
 * request to its default branch. Decided at the click: only the joiner of an open onboarding, only
 * a repository the team owns in the catalog, never over a devcontainer.json the repository already
 * has. Idempotent like the digest's Fix: one branch per (onboarding, repository) and `ensure*`
 * calls, so a double click or a Teams retry finds the same branch, commit and pull request.
 * Every attempt is audited, refusals included.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../access/team-access.policy';
import type { AuditLog } from '../audit/audit.port';
import { DomainError, isDomainError } from '../domain-error';
import type { RepositoryProvisioning } from '../repos/repository-provisioning.port';
import type { SourceControl } from '../repos/source-control.port';
import { devcontainerText } from './dev-environment';
import type { OnboardingStore } from './onboarding-store.port';
import type { OnboardingRecord } from './onboarding.types';
import type { WelcomePackFor } from './welcome-pack';

export const DEVCONTAINER_PATH = '/.devcontainer/devcontainer.json';

export interface DevcontainerPrDeps {
  store: Pick<OnboardingStore, 'get'>;
  pack: WelcomePackFor;
  sourceControl: Pick<SourceControl, 'getRepository' | 'readFile'>;
  provisioning: Pick<RepositoryProvisioning, 'compareBranch' | 'ensureBranch' | 'ensureFiles' | 'ensurePullRequest'>;
  audit: AuditLog;
}

export interface DevcontainerPrResult {
  /** `Project/name`. */
  repository: string;
  branch: string;
  pullRequestId: number;
  url: string;
  /** False: the pull request was there already (a second click). */
  created: boolean;
}

/** Refused unless `actor` is the joiner of an open onboarding: ONBOARDING.RECORD_NOT_FOUND / CLOSED / NOT_JOINER. */
export async function joinersOpenRecord(store: Pick<OnboardingStore, 'get'>, onboardingId: string, actor: Actor): Promise<OnboardingRecord> {
  const record = await store.get(onboardingId);
  if (!record) throw new DomainError('ONBOARDING.RECORD_NOT_FOUND', `no onboarding ${onboardingId}`, { id: onboardingId });
  if (record.joiner.id.toLowerCase() !== actor.id.toLowerCase()) throw new DomainError('ONBOARDING.NOT_JOINER', `${actor.id} is not the joiner of onboarding ${onboardingId}`, { joiner: record.joiner.name });
  if (record.state === 'offboarded') throw new DomainError('ONBOARDING.CLOSED', `onboarding ${onboardingId} is offboarded`, { joiner: record.joiner.name, team: record.team.displayName });
  return record;
}

/** One branch per onboarding and repository: a second click lands on the same pull request. */
export function devcontainerBranch(onboardingId: string, repository: string): string {
  return `idp/onboarding/devcontainer-${createHash('sha256').update(`${onboardingId}#${repository.toLowerCase()}`).digest('hex').slice(0, 10)}`;
}

export class DevcontainerPrService {
  constructor(private readonly deps: DevcontainerPrDeps) {}

  async open(ctx: { actor: Actor; activityId?: string }, onboardingId: string, repository: string): Promise<DevcontainerPrResult> {
    const base = { actor: ctx.actor.id, actorName: ctx.actor.name, action: 'onboarding.devcontainer-pr', target: `onboarding:${onboardingId}`, ...(ctx.activityId ? { activityId: ctx.activityId } : {}) };
    try {
      const result = await this.pullRequest(ctx.actor, onboardingId, repository);
      await this.deps.audit.record({ ...base, result: 'success', details: { repository: result.repository, branch: result.branch, pullRequest: result.url, created: result.created } });
      return result;
    } catch (e) {
      const code = isDomainError(e) ? e.code : 'UNEXPECTED';
      await this.deps.audit.record({ ...base, result: code === 'ONBOARDING.NOT_JOINER' ? 'denied' : 'failure', details: { repository, code } });
      throw e;
    }
  }

  private async pullRequest(actor: Actor, onboardingId: string, repository: string): Promise<DevcontainerPrResult> {
    const record = await joinersOpenRecord(this.deps.store, onboardingId, actor);
    const { environment } = await this.deps.pack(record);
    const target = environment.repositories.find((r) => `${r.project}/${r.name}`.toLowerCase() === repository.toLowerCase());
    if (!target) throw new DomainError('ONBOARDING.REPOSITORY_NOT_IN_TEAM', `${repository} is not a repository of ${record.team.ref}`, { repository, team: record.team.displayName, repositories: environment.repositories.map((r) => `${r.project}/${r.name}`) });
    const name = `${target.project}/${target.name}`;
    const repo = await this.deps.sourceControl.getRepository(target.project, target.name);
    if (!repo?.defaultBranch) throw new DomainError('ONBOARDING.REPOSITORY_GONE', `${name} does not exist or has no commits`, { repository: name });
    // The team's own dev container wins: a pull request replacing it would not be merged.
    if ((await this.deps.sourceControl.readFile(target.project, repo.name, DEVCONTAINER_PATH, repo.defaultBranch)) !== null)
      throw new DomainError('ONBOARDING.DEVCONTAINER_EXISTS', `${name} already has ${DEVCONTAINER_PATH} on ${repo.defaultBranch}`, { repository: name, file: DEVCONTAINER_PATH.slice(1), url: repo.webUrl });
    const branch = devcontainerBranch(onboardingId, name);
    const { provisioning } = this.deps;
    // Read only: the default branch's head, where the branch starts (an existing branch stays where it is).
    const head = await provisioning.compareBranch(target.project, repo.id, repo.defaultBranch, []);
    if (!head) throw new DomainError('ONBOARDING.REPOSITORY_GONE', `${name} has no branch ${repo.defaultBranch}`, { repository: name });
    await provisioning.ensureBranch(target.project, repo.id, branch, head.commitId);
    await provisioning.ensureFiles(target.project, repo.id, branch, [{ path: DEVCONTAINER_PATH, content: devcontainerText(environment.devcontainer) }], `Dev container for ${environment.roleTitle} (from ${record.joiner.name}'s onboarding)`);
    const pr = await provisioning.ensurePullRequest(target.project, repo.id, {
      sourceBranch: branch,
      targetBranch: repo.defaultBranch,
      title: `Add a dev container (${environment.roleTitle})`,
      description: [
        `Adds ${DEVCONTAINER_PATH.slice(1)}: the ${environment.roleTitle} dev environment of ${record.team.displayName} (${environment.tools.map((t) => `${t.name} ${t.version}`).join(', ')}).`,
        `It clones the team's repositories next to this one when the container is created.`,
        ``,
        `Opened from ${record.joiner.name}'s welcome card in Teams; the onboarding settings of the platform define the tools.`,
      ].join('\n'),
    });
    return { repository: name, branch, pullRequestId: pr.id, url: pr.url, created: pr.created };
  }
}
