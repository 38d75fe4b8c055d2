/**
 * Location names: where an entity was read from. `file:<absolute path>` for files and folders
 * (CATALOG_LOCATIONS, the CLI); `azure-devops:<Project>/<repo>` for a repository's root
 * `catalog-info.yaml`, `azure-devops:<Project>/<repo>/<path>` for other files of that repository.
 */
const ROOT_DESCRIPTOR = '/catalog-info.yaml';

export const fileLocation = (absolutePath: string): string => `file:${absolutePath}`;

export const filePath = (location: string): string | undefined => (location.startsWith('file:') ? location.slice('file:'.length) : undefined);

/** What every location under a folder starts with. */
export const folderPrefix = (absoluteFolder: string): string => fileLocation(absoluteFolder.endsWith('/') ? absoluteFolder : `${absoluteFolder}/`);

export const azureDevOpsLocation = (project: string, repository: string, path = ROOT_DESCRIPTOR): string =>
  `azure-devops:${project}/${repository}${path === ROOT_DESCRIPTOR ? '' : path}`;

export const azureDevOpsProjectPrefix = (project: string): string => `azure-devops:${project}/`;

export function parseAzureDevOpsLocation(location: string): { project: string; repository: string; path: string } | undefined {
  const m = /^azure-devops:([^/]+)\/([^/]+)(\/.+)?$/.exec(location);
  return m ? { project: m[1]!, repository: m[2]!, path: m[3] ?? ROOT_DESCRIPTOR } : undefined;
}
