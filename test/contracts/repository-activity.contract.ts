/**
 * What every RepositoryActivity must do, run against the in-memory fake
 * (test/unit/repository-activity.contract.test.ts) and the Azure DevOps adapter + stand-in
 * (test/integration/repository-activity.contract.int.test.ts). The world seeds a repository's
 * history: the bot's own first commit, people's commits, merged pull requests.
 */
import { isDomainError } from '../../src/domain/domain-error';
import type { RepositoryActivity } from '../../src/domain/platform-metrics/repository-activity.port';

export interface ActivityWorld {
  activity: RepositoryActivity;
  createRepo(project: string, name: string): Promise<void>;
  /** A commit on the default branch, by the bot's own identity or by a person (name, e-mail). */
  commit(project: string, name: string, at: Date, by: 'bot' | { name: string; email: string }): Promise<void>;
  /** A pull request completed at `at`, opened by the bot or by a person. */
  mergedPullRequest(project: string, name: string, at: Date, by: 'bot' | { id: string; name: string; email: string }): Promise<void>;
  close(): Promise<void>;
}

const PROJECT = 'Payments';
const t = (hours: number) => new Date(Date.UTC(2026, 10, 2, 9) + hours * 3600_000);
const ANA = { id: 'a1b2c3d4-0000-4000-8000-0000000000a1', name: 'Ana Dev', email: 'ana@contoso.example' };

export function repositoryActivityContract(name: string, open: () => Promise<ActivityWorld>): void {
  describe(`RepositoryActivity contract: ${name}`, () => {
    let w: ActivityWorld;
    let n = 0;
    const repo = () => `metrics-repo-${++n}-${Math.random().toString(36).slice(2, 7)}`;
    beforeAll(async () => {
      w = await open();
    });
    afterAll(() => w.close());

    it('a repository with only the bot\'s first commit has no human change yet (null)', async () => {
      const r = repo();
      await w.createRepo(PROJECT, r);
      await w.commit(PROJECT, r, t(1), 'bot');
      expect(await w.activity.firstHumanChange(PROJECT, r, t(0))).toBeNull();
    });

    it('an empty repository has none either', async () => {
      const r = repo();
      await w.createRepo(PROJECT, r);
      expect(await w.activity.firstHumanChange(PROJECT, r, t(0))).toBeNull();
    });

    it('the first commit by a person after the date, past the bot\'s own and an earlier one', async () => {
      const r = repo();
      await w.createRepo(PROJECT, r);
      await w.commit(PROJECT, r, t(1), 'bot');
      await w.commit(PROJECT, r, t(2), ANA); // before `after`: not counted
      await w.commit(PROJECT, r, t(5), 'bot');
      await w.commit(PROJECT, r, t(30), ANA);
      await w.commit(PROJECT, r, t(40), ANA);
      const change = await w.activity.firstHumanChange(PROJECT, r, t(3));
      expect(change).toEqual({ kind: 'commit', at: t(30), by: ANA.name });
    });

    it('a pull request a person opened and that was merged first wins over a later commit; the bot\'s merged pull requests do not count', async () => {
      const r = repo();
      await w.createRepo(PROJECT, r);
      await w.commit(PROJECT, r, t(1), 'bot');
      await w.mergedPullRequest(PROJECT, r, t(4), 'bot');
      await w.mergedPullRequest(PROJECT, r, t(10), ANA);
      await w.commit(PROJECT, r, t(12), ANA);
      expect(await w.activity.firstHumanChange(PROJECT, r, t(0))).toEqual({ kind: 'pull-request', at: t(10), by: ANA.name });
    });

    it('a repository that does not exist is REPOS.REPOSITORY_NOT_FOUND', async () => {
      const e = await w.activity.firstHumanChange(PROJECT, 'no-such-repo-anywhere', t(0)).then(() => undefined, (err: unknown) => err);
      expect(isDomainError(e) && e.code).toBe('REPOS.REPOSITORY_NOT_FOUND');
    });
  });
}
