/**
 * The resource locations the service announces on `OPTIONS /{org}/_apis/{area}`. azure-devops-node-api
 * looks each call's location up by the GUID it hard-codes (see node_modules/azure-devops-node-api/
 * *Api.js, `getVersioningData(version, area, locationId)`), expands `routeTemplate` into the URL and
 * negotiates the api-version against max/released/resourceVersion. So the ids must be exactly these,
 * and `resourceVersion` at least the preview number the client asks for (7.2-preview.N).
 */

export interface ResourceLocation {
  id: string;
  area: string;
  resourceName: string;
  routeTemplate: string;
  resourceVersion: number;
  minVersion: string;
  maxVersion: string;
  releasedVersion: string;
}

const loc = (area: string, resourceName: string, id: string, routeTemplate: string, resourceVersion: number): ResourceLocation => ({
  id,
  area,
  resourceName,
  routeTemplate,
  resourceVersion,
  minVersion: '1.0',
  maxVersion: '7.2',
  releasedVersion: '7.1',
});

const IN_REPO = '{project}/_apis/{area}/repositories/{repositoryId}/{resource}';

export const RESOURCE_LOCATIONS: Record<string, ResourceLocation[]> = {
  location: [
    loc('Location', 'ResourceAreas', 'e81700f7-3be2-46de-8624-2eb35882fcaa', '_apis/{resource}/{areaId}', 1),
    loc('Location', 'ConnectionData', '00d9565f-ed9c-4a06-9a50-00e7896ccab4', '_apis/{resource}', 1),
  ],
  core: [loc('core', 'projects', '603fe2ac-9723-48b9-88ad-09305aa6c6e1', '_apis/{resource}/{*projectId}', 4)],
  git: [
    loc('git', 'repositories', '225f7195-f9c7-4d14-ab28-a83f7ff77e1f', '{project}/_apis/{area}/{resource}/{repositoryId}', 2),
    loc('git', 'items', 'fb93c0db-47ed-4a31-8c20-47552878fb44', `${IN_REPO}/{*path}`, 1),
    loc('git', 'refs', '2d874a60-a811-4f62-9c9f-963a6ea0a55b', `${IN_REPO}/{*filter}`, 2),
    loc('git', 'pushes', 'ea98d07b-3c87-4971-8ede-a613694ffb55', `${IN_REPO}/{pushId}`, 3),
    loc('git', 'commits', 'c2570c3b-5b3f-41b8-98bf-5407bfde8d58', `${IN_REPO}/{commitId}`, 2),
    loc('git', 'pullRequests', '9946fd70-0d40-406e-b686-b4744cbbcc37', `${IN_REPO}/{pullRequestId}`, 2),
    loc('git', 'pullRequests', 'a5d28130-9cd2-40fa-9f08-902e7daa9efb', '{project}/_apis/{area}/{resource}', 2),
    loc('git', 'pullRequests', '01a46dea-7d46-4d40-bc84-319e7c260d99', '{project}/_apis/{area}/{resource}/{pullRequestId}', 2),
    // GET {project}/_apis/git/policy/configurations: policies that apply to a repository/branch.
    loc('git', 'policyConfigurations', '2c420070-a0a2-49cc-9639-c9f271c5ff07', '{project}/_apis/{area}/policy/configurations', 1),
  ],
  policy: [
    loc('policy', 'types', '44096322-2d3d-466a-bb30-d1b7de69f61f', '{project}/_apis/{area}/{resource}/{typeId}', 1),
    loc('policy', 'configurations', 'dad91cbe-d183-45f8-9c6e-9c1164472121', '{project}/_apis/{area}/{resource}/{configurationId}', 1),
  ],
  build: [
    loc('build', 'definitions', 'dbeaf647-6167-421a-bda9-c9327b25e2e6', '{project}/_apis/{area}/{resource}/{definitionId}', 7),
    loc('build', 'builds', '0cd358e1-9217-4d94-8269-1c1ee6f93dcf', '{project}/_apis/{area}/{resource}/{buildId}', 7),
  ],
  // TaskAgentApi: environments and variable groups (adding one is organisation-wide; listing is per project).
  distributedtask: [
    loc('distributedtask', 'environments', '8572b1fc-2482-47fa-8f74-7e3ed53ee54b', '{project}/_apis/{area}/{resource}/{environmentId}', 1),
    loc('distributedtask', 'variablegroups', 'ef5b7057-ffc3-4c77-bbad-c10b4a4abcc7', '_apis/{area}/{resource}/{groupId}', 2),
    loc('distributedtask', 'variablegroups', 'f5b09dd5-9d54-45a1-8b5a-1c8287d634cc', '{project}/_apis/{area}/{resource}/{groupId}', 2),
  ],
  // Service connections, looked up by name (ServiceEndpointApi.getServiceEndpointsByNames).
  serviceendpoint: [loc('serviceendpoint', 'endpoints', 'e85f1c62-adfc-4b74-b618-11a150fb195e', '{project}/_apis/{area}/{resource}/{endpointId}', 4)],
  // Approvals and checks (no client in azure-devops-node-api; the adapter calls it through rest/vsoClient).
  pipelineschecks: [loc('PipelinesChecks', 'configurations', '86c8381e-5aee-4cde-8ae4-25c0c7f5eaea', '{project}/_apis/pipelines/checks/{resource}/{id}', 1)],
};
