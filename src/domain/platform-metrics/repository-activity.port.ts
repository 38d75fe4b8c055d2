/**
 * What people did in a repository after the bot made it: the first change by a person (a commit
 * or a merged pull request), so "time to first commit" can be measured from the request.
 */
export interface HumanChange {
  kind: 'commit' | 'pull-request';
  at: Date;
  /** Who, as the source control names them (display name or e-mail); never shown with secrets. */
  by: string;
}

export interface RepositoryActivity {
  /**
   * The earliest change at or after `after` made by someone other than the bot's own identity (the
   * one its commits and pull requests are made with): a commit in the default branch's history, or a
   * pull request completed (merged). Null when there is none yet.
   * Throws REPOS.REPOSITORY_NOT_FOUND when the repository does not exist (any more).
   */
  firstHumanChange(project: string, repository: string, after: Date): Promise<HumanChange | null>;
}
