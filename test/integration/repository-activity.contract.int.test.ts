/** The RepositoryActivity contract on the real adapter (azure-devops-node-api over HTTP) + the Azure DevOps stand-in. */
import { AzureDevOpsConnection } from '../../src/adapters/azure-devops/azure-devops-connection';
import { AzureDevOpsRepositoryActivity } from '../../src/adapters/azure-devops/azure-devops-repository-activity.adapter';
import { DEMO_ORG, DEMO_PROJECTS } from '../../src/sandbox/seed/demo-org';
import { AzureDevOpsStandIn } from '../../src/sandbox/standins/azure-devops.standin';
import { repositoryActivityContract } from '../contracts/repository-activity.contract';
import { adoHistory } from '../helpers/ado-activity-world';

repositoryActivityContract('AzureDevOpsRepositoryActivity + stand-in', async () => {
  const standIn = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: DEMO_PROJECTS });
  await standIn.start(0);
  const activity = new AzureDevOpsRepositoryActivity(new AzureDevOpsConnection({ orgUrl: standIn.collectionUrl, token: 'activity-contract-pat' }));
  return { activity, ...adoHistory(standIn), close: () => standIn.close() };
});
