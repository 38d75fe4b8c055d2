/**
 * catalog-info.yaml: a Backstage Component with the annotations this portal reads
 * (src/domain/catalog/descriptor-annotations.ts), so "who owns <repo>" works from the first commit.
 */
import { ANNOTATIONS } from '../../catalog/descriptor-annotations';
import { pipelineDefinitionName } from '../../pipelines/golden-pipeline';
import { toYaml } from '../../pipelines/yaml-builder';
import type { SkeletonFile, TemplateInput } from './skeleton.types';

export function catalogInfo({ request, context, names }: TemplateInput, tags: string[]): SkeletonFile {
  const { owner, links } = context;
  const annotations: Record<string, string> = {
    [ANNOTATIONS.projectRepo]: `${request.project}/${names.service}`,
    [ANNOTATIONS.buildDefinition]: pipelineDefinitionName(names.service),
  };
  if (owner.teamsChannelUrl) annotations[ANNOTATIONS.teamsChannelUrl] = owner.teamsChannelUrl;
  if (owner.email) annotations[ANNOTATIONS.email] = owner.email;
  if (owner.onCallRotation) annotations[ANNOTATIONS.onCallRotation] = owner.onCallRotation;
  const entityLinks = [
    { url: links.repoUrl, title: 'Repository', type: 'repository' },
    ...(links.pipelineUrl ? [{ url: links.pipelineUrl, title: 'Pipeline', type: 'pipeline' }] : []),
  ];
  const descriptor = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: names.service, description: request.description, tags, annotations, links: entityLinks },
    spec: { type: 'service', lifecycle: 'experimental', owner: `group:default/${request.ownerTeam}` },
  };
  return { path: 'catalog-info.yaml', content: toYaml(descriptor) };
}
