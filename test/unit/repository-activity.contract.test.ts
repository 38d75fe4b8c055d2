/** The RepositoryActivity contract on the in-memory fake. */
import { repositoryActivityContract } from '../contracts/repository-activity.contract';
import { InMemoryRepositoryActivity } from '../fakes/in-memory-repository-activity';

repositoryActivityContract('InMemoryRepositoryActivity', async () => {
  const activity = new InMemoryRepositoryActivity();
  return {
    activity,
    createRepo: async (project, name) => activity.createRepo(project, name),
    commit: async (project, name, at, by) => activity.record(project, name, { kind: 'commit', at, by: by === 'bot' ? 'IDP bot' : by.name, byBot: by === 'bot' }),
    mergedPullRequest: async (project, name, at, by) => activity.record(project, name, { kind: 'pull-request', at, by: by === 'bot' ? 'IDP bot' : by.name, byBot: by === 'bot' }),
    close: async () => {},
  };
});
