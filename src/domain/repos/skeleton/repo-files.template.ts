/** The small shared files: CODEOWNERS, .gitignore, .dockerignore. Only validated names in them. */
import type { SkeletonFile, StackSkeleton, TemplateInput } from './skeleton.types';

export function codeowners({ request, context }: TemplateInput): SkeletonFile {
  return {
    path: 'CODEOWNERS',
    content: [
      `# Every file is owned by the catalog group ${request.ownerTeam}.`,
      '# Azure Repos does not read this file: its required reviewers come from the branch policies.',
      `* @${context.org}/${request.ownerTeam}`,
      '',
    ].join('\n'),
  };
}

const lines = (entries: string[]): string => `${entries.join('\n')}\n`;

export const gitignore = (stack: StackSkeleton): SkeletonFile => ({ path: '.gitignore', content: lines(stack.gitignore) });
export const dockerignore = (stack: StackSkeleton): SkeletonFile => ({ path: '.dockerignore', content: lines(stack.dockerignore) });
