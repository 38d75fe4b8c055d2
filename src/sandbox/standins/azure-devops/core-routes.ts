/**
 * What the client asks before anything else, and the core area:
 *   OPTIONS /{org}/_apis/{area}   the area's resource locations (see locations.ts)
 *   GET /{org}/_apis/ResourceAreas  an empty list, which tells the client every area lives at the
 *                                   collection URL (what an on-premises server answers)
 *   GET /{org}/_apis/connectionData who is calling (WebApi.connect)
 *   GET /{org}/_apis/projects[/{idOrName}]
 */
import { json } from '../standin-server';
import { AdoError, projectNotFound } from './errors';
import { RESOURCE_LOCATIONS } from './locations';
import { listOf, page, queryParam, type AdoRouter } from './router';
import { stableGuid, type AdoShapes } from './shapes';
import { STANDIN_USER, type AdoState } from './state';

export function registerCoreRoutes(router: AdoRouter, state: AdoState, shapes: AdoShapes): void {
  router
    .add('OPTIONS', '/_apis/:area', (req) => {
      const locations = RESOURCE_LOCATIONS[req.params.area.toLowerCase()];
      if (!locations) throw new AdoError(404, 'ResourceAreaNotFoundException', `The area '${req.params.area}' is not served by the stand-in.`);
      return listOf(locations);
    })
    .add('GET', '/_apis/ResourceAreas', () => listOf([]))
    .add('GET', '/_apis/connectionData', () => {
      const user = { id: STANDIN_USER.id, descriptor: 'aad.c3RhbmRpbg', subjectDescriptor: 'aad.c3RhbmRpbg', providerDisplayName: STANDIN_USER.displayName, isActive: true, properties: { Account: { $type: 'System.String', $value: STANDIN_USER.uniqueName } } };
      return json(200, {
        authenticatedUser: user,
        authorizedUser: user,
        instanceId: stableGuid(`collection:${state.org}`),
        deploymentId: stableGuid('deployment'),
        deploymentType: 'hosted',
        locationServiceData: { serviceOwner: '00025394-6065-48ca-87d9-7f5672854ef7', defaultAccessMappingMoniker: 'PublicAccessMapping', lastChangeId: 1, lastChangeId64: 1 },
      });
    })
    .add('GET', '/_apis/projects', (req) => listOf(page(state.projects, req).map((p) => shapes.projectRef(p))))
    .add('GET', '/_apis/projects/:projectId', (req) => {
      const project = state.project(req.params.projectId);
      if (!project) throw projectNotFound(req.params.projectId);
      return json(200, shapes.project(project, queryParam(req, 'includeCapabilities') === 'true'));
    });
}
