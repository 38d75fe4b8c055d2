/**
 * A repository's history seeded straight into the Azure DevOps stand-in's state, at chosen
 * dates: the bot's commits carry the stand-in's own user (whom the token authenticates as), a
 * person's carry their name and e-mail; a merged pull request is a completed one with its closedDate.
 */
import type { AzureDevOpsStandIn } from '../../src/sandbox/standins/azure-devops.standin';
import { ZERO_ID } from '../../src/sandbox/standins/azure-devops/git-store';
import { STANDIN_USER } from '../../src/sandbox/standins/azure-devops/state';

const MAIN = 'refs/heads/main';

export function adoHistory(standIn: AzureDevOpsStandIn) {
  const state = standIn.state;
  const repoOf = (project: string, name: string) => state.requireRepo(name, state.requireProject(project));
  let seq = 0;
  return {
    createRepo: async (project: string, name: string) => void state.createRepo(state.requireProject(project), name),
    commit: async (project: string, name: string, at: Date, by: 'bot' | { name: string; email: string }) => {
      const repo = repoOf(project, name);
      const head = repo.git.refs.get(MAIN) ?? ZERO_ID;
      const author = by === 'bot' ? undefined : { name: by.name, email: by.email, date: at.toISOString() };
      repo.git.push(MAIN, head, [{ comment: `change ${++seq}`, changes: [{ changeType: 'add', path: `/file-${seq}.txt`, content: Buffer.from(`${seq}\n`) }], ...(author ? { author } : {}) }], at);
    },
    mergedPullRequest: async (project: string, name: string, at: Date, by: 'bot' | { id: string; name: string; email: string }) => {
      const repo = repoOf(project, name);
      const head = repo.git.refs.get(MAIN) ?? ZERO_ID;
      const who = by === 'bot' ? STANDIN_USER : { id: by.id, displayName: by.name, uniqueName: by.email };
      state.pullRequests.push({
        pullRequestId: state.nextId('pullRequest'),
        repositoryId: repo.id,
        title: `Pull request ${++seq}`,
        description: '',
        sourceRefName: `refs/heads/topic-${seq}`,
        targetRefName: MAIN,
        status: 'completed',
        isDraft: false,
        creationDate: new Date(at.getTime() - 3600_000).toISOString(),
        sourceCommitId: head,
        targetCommitId: head,
        reviewers: [],
        createdBy: who,
        closedDate: at.toISOString(),
        closedBy: who,
      });
    },
  };
}
