/**
 * YAML pipelines as build definitions: the body the service takes, and the portal's view of one.
 * Process type 2 is YAML (1 is the classic designer); the repository type of Azure Repos is TfsGit.
 */
import { DefinitionQuality, DefinitionType, type BuildDefinition, type BuildDefinitionReference, type YamlProcess } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { PipelineInfo, PipelineSpec } from '../../domain/repos/repository-provisioning.port';
import { absolutePath } from './git-mapping';

export const BUILD_READ = 'Build (Read)';
export const BUILD_EXECUTE = 'Build (Read & execute)';
export const TFS_GIT = 'TfsGit';
const YAML_PROCESS = 2;

/** Folders are backslash paths from the root ("\\payments\\apis"); people type "payments/apis". */
const folderPath = (folder: string | undefined): string => `\\${(folder ?? '').split(/[\\/]+/).filter(Boolean).join('\\')}`;

export function definitionBody(spec: PipelineSpec, repo: { name: string; defaultBranch?: string }): BuildDefinition {
  const process: YamlProcess = { type: YAML_PROCESS, yamlFilename: absolutePath(spec.yamlPath) };
  return {
    name: spec.name,
    path: folderPath(spec.folder),
    type: DefinitionType.Build,
    quality: DefinitionQuality.Definition,
    repository: { id: spec.repositoryId, type: TFS_GIT, name: repo.name, defaultBranch: repo.defaultBranch ?? 'refs/heads/main' },
    process,
  };
}

/** The web link the service sends, else the URL the portal builds the same way. */
export function definitionUrl(d: BuildDefinitionReference, orgUrl: string, project: string): string {
  const web = (d._links as { web?: { href?: string } } | undefined)?.web?.href;
  return web ?? `${orgUrl}/${encodeURIComponent(project)}/_build/definition?definitionId=${d.id}`;
}

export function toPipelineInfo(d: BuildDefinition, orgUrl: string, project: string): PipelineInfo {
  const process = d.process as YamlProcess | undefined;
  const yamlPath = process?.type === YAML_PROCESS && process.yamlFilename ? absolutePath(process.yamlFilename) : undefined;
  return { id: d.id!, name: d.name!, url: definitionUrl(d, orgUrl, project), ...(yamlPath ? { yamlPath } : {}) };
}
