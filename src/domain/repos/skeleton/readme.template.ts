/**
 * README.md: what the service is, who owns it and how to reach them at 2 AM, how to run it, and
 * where the pipeline deploys. Prose from people is escaped (text-escaping.ts); names in code
 * spans are validated identifiers.
 */
import type { PipelineNames } from '../../pipelines/golden-pipeline';
import type { StackSkeleton, SkeletonFile, TemplateInput } from './skeleton.types';
import { httpUrl, markdownInline as md, markdownLink, markdownParagraphs } from './text-escaping';
import { STACK_LABELS } from '../repo-request';

export function readme({ request, context, names }: TemplateInput, stack: StackSkeleton, pipeline: PipelineNames): SkeletonFile {
  const { owner, links } = context;
  const lines: string[] = [`# ${md(names.title)}`, '', markdownParagraphs(request.description), ''];

  lines.push('## Ownership', '');
  lines.push(`- **Team:** ${md(owner.displayName)} (catalog group \`${request.ownerTeam}\`)`);
  if (owner.email) lines.push(`- **Email:** ${markdownLink(owner.email, `mailto:${owner.email}`)}`);
  if (owner.teamsChannelUrl) lines.push(`- **Teams channel:** ${markdownLink('open the channel', owner.teamsChannelUrl)}`);
  if (owner.onCallRotation) {
    const url = httpUrl(owner.onCallRotation);
    lines.push(`- **On call:** ${url ? markdownLink('rotation', url) : md(owner.onCallRotation)}`);
  }
  lines.push(`- **Requested by:** ${md(request.requestedBy.name)}`, '');

  lines.push('## Links', '');
  lines.push(`- ${markdownLink('Repository', links.repoUrl)}`);
  if (links.pipelineUrl) lines.push(`- ${markdownLink('Pipeline', links.pipelineUrl)}`);
  if (links.catalogUrl) lines.push(`- ${markdownLink('Catalog entry', links.catalogUrl)}`);
  lines.push('');

  lines.push(`## Run it locally (${STACK_LABELS[request.stack]})`, '');
  for (const c of stack.commands) lines.push(`${c.label}:`, '', '```sh', c.command, '```', '');

  lines.push('## Pipeline', '');
  lines.push('`azure-pipelines.yml` builds and tests, scans dependencies and code, pushes the image, then deploys:', '');
  lines.push('| Environment | Azure DevOps environment | Variable group |', '| --- | --- | --- |');
  for (const e of pipeline.environments) lines.push(`| ${e.environment} | \`${e.azureDevOpsEnvironment}\` | \`${e.variableGroup}\` |`);
  lines.push('');
  if (pipeline.environments.some((e) => e.environment === 'prod')) {
    lines.push('Production deployments wait for the approval configured on the prod environment (Approvals and checks).', '');
  }
  return { path: 'README.md', content: `${lines.join('\n').trimEnd()}\n` };
}
