/** RepositoryActivity in memory: repositories and their changes as a test records them. */
import { DomainError } from '../../src/domain/domain-error';
import type { HumanChange, RepositoryActivity } from '../../src/domain/platform-metrics/repository-activity.port';

interface Change {
  kind: HumanChange['kind'];
  at: Date;
  by: string;
  byBot: boolean;
}

export class InMemoryRepositoryActivity implements RepositoryActivity {
  private readonly repos = new Map<string, Change[]>();
  /** Every call, as (project/repository). */
  readonly calls: string[] = [];

  private key = (project: string, repository: string) => `${project.toLowerCase()}/${repository.toLowerCase()}`;

  createRepo(project: string, repository: string): void {
    this.repos.set(this.key(project, repository), []);
  }

  record(project: string, repository: string, change: Change): void {
    const changes = this.repos.get(this.key(project, repository));
    if (!changes) throw new Error(`no repository ${project}/${repository}`);
    changes.push(change);
  }

  async firstHumanChange(project: string, repository: string, after: Date): Promise<HumanChange | null> {
    this.calls.push(`${project}/${repository}`);
    const changes = this.repos.get(this.key(project, repository));
    if (!changes) throw new DomainError('REPOS.REPOSITORY_NOT_FOUND', `Azure DevOps has no repository "${repository}" in project "${project}".`, { project, repository });
    const first = changes.filter((c) => !c.byBot && c.at.getTime() >= after.getTime()).sort((a, b) => a.at.getTime() - b.at.getTime())[0];
    return first ? { kind: first.kind, at: first.at, by: first.by } : null;
  }
}
