/**
 * RepositoryActivity on Azure Repos through azure-devops-node-api: the default branch's commits
 * from a date, oldest first (`searchCriteria.fromDate` + `showOldestCommitsFirst`), skipping the
 * bot's own (its author is the account the token authenticates as, read once from
 * connectionData), and the completed pull requests not opened by the bot. The earlier of the two
 * first human changes wins. Reads only: retried on throttling and server errors.
 */
import { PullRequestStatus, type GitCommitRef, type GitPullRequest } from 'azure-devops-node-api/interfaces/GitInterfaces';
import { DomainError } from '../../domain/domain-error';
import type { HumanChange, RepositoryActivity } from '../../domain/platform-metrics/repository-activity.port';
import type { AzureDevOpsConnection } from './azure-devops-connection';

const CODE_READ = 'Code (Read)';
const PAGE = 100;
/** Commits read per repository at most: a new service's first human commit comes early in its history. */
const MAX_COMMITS = 1000;

interface BotIdentity {
  id: string;
  displayName: string;
  email?: string;
}

export class AzureDevOpsRepositoryActivity implements RepositoryActivity {
  private bot?: Promise<BotIdentity>;

  constructor(private readonly conn: AzureDevOpsConnection) {}

  async firstHumanChange(project: string, repository: string, after: Date): Promise<HumanChange | null> {
    const bot = await this.botIdentity();
    const git = await this.conn.git();
    const repo = await this.conn.call({ operation: `read repository "${repository}"`, permission: CODE_READ, project }, () => git.getRepository(repository, project));
    if (!repo?.id) throw new DomainError('REPOS.REPOSITORY_NOT_FOUND', `Azure DevOps has no repository "${repository}" in project "${project}".`, { project, repository });
    const [commit, pullRequest] = await Promise.all([this.firstHumanCommit(project, repo.id, after, bot), this.firstHumanMerge(project, repo.id, after, bot)]);
    if (commit && pullRequest) return commit.at.getTime() <= pullRequest.at.getTime() ? commit : pullRequest;
    return commit ?? pullRequest;
  }

  private async firstHumanCommit(project: string, repositoryId: string, after: Date, bot: BotIdentity): Promise<HumanChange | null> {
    const git = await this.conn.git();
    for (let skip = 0; skip < MAX_COMMITS; skip += PAGE) {
      const page = await this.conn.call({ operation: 'read the commit history', permission: CODE_READ, project }, () =>
        git.getCommits(repositoryId, { fromDate: after.toISOString(), showOldestCommitsFirst: true, $top: PAGE, $skip: skip }, project),
      );
      const human = (page ?? []).find((c) => !isBotCommit(c, bot));
      if (human) {
        const date = human.committer?.date ?? human.author?.date;
        if (date) return { kind: 'commit', at: new Date(date), by: human.author?.name ?? human.author?.email ?? 'someone' };
      }
      if (!page || page.length < PAGE) break;
    }
    return null;
  }

  private async firstHumanMerge(project: string, repositoryId: string, after: Date, bot: BotIdentity): Promise<HumanChange | null> {
    const git = await this.conn.git();
    const merged: GitPullRequest[] = [];
    for (let skip = 0; ; skip += PAGE) {
      const page = await this.conn.call({ operation: 'list the completed pull requests', permission: CODE_READ, project }, () =>
        git.getPullRequests(repositoryId, { status: PullRequestStatus.Completed }, project, undefined, skip, PAGE),
      );
      merged.push(...(page ?? []));
      if (!page || page.length < PAGE) break;
    }
    const human = merged
      .filter((pr) => pr.closedDate && new Date(pr.closedDate).getTime() >= after.getTime() && pr.createdBy?.id?.toLowerCase() !== bot.id.toLowerCase())
      .sort((a, b) => new Date(a.closedDate!).getTime() - new Date(b.closedDate!).getTime())[0];
    return human ? { kind: 'pull-request', at: new Date(human.closedDate!), by: human.createdBy?.displayName ?? 'someone' } : null;
  }

  private botIdentity(): Promise<BotIdentity> {
    this.bot ??= this.conn.authenticatedUser().catch((e: unknown) => {
      this.bot = undefined; // asked again next time
      throw e;
    });
    return this.bot;
  }
}

/** The bot's commits carry the token's account as author (its e-mail; its display name where the e-mail is not known). */
function isBotCommit(c: GitCommitRef, bot: BotIdentity): boolean {
  const email = c.author?.email?.toLowerCase();
  if (bot.email && email) return email === bot.email.toLowerCase();
  return (c.author?.name ?? '') === bot.displayName;
}
