/**
 * Checks the generator's context before anything is written: links are http(s), the Teams
 * channel https (the catalog refuses anything else), e-mail and organisation well-formed, the
 * owner the request's team. Display names and the on-call rotation are prose: any text, escaped
 * where it is written.
 */
import { z } from 'zod';
import { DomainError } from '../../domain-error';
import type { RepoRequest } from '../repo-request';
import type { SkeletonContext } from './skeleton.types';
import { httpUrl } from './text-escaping';

const url = (schemes: string[]) =>
  z.string().refine((v) => httpUrl(v, schemes) !== undefined, `must be an ${schemes.map((s) => s.replace(':', '')).join(' or ')} URL`).transform((v) => httpUrl(v, schemes)!);

const prose = z.string().trim().max(200, 'is longer than 200 characters');

const contextSchema = z.object({
  owner: z.object({
    team: z.string().trim(),
    displayName: prose,
    email: z.email('is not an email address').optional(),
    teamsChannelUrl: url(['https:']).optional(),
    onCallRotation: prose.optional(),
  }),
  org: z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,48}[A-Za-z0-9])?$/, 'must be an Azure DevOps organisation name'),
  links: z.object({
    repoUrl: url(['https:', 'http:']),
    pipelineUrl: url(['https:', 'http:']).optional(),
    catalogUrl: url(['https:', 'http:']).optional(),
  }),
  pipeline: z.object({
    registry: z.object({ serviceConnection: z.string(), name: z.string() }),
    variableGroupPrefix: z.string().optional(),
    defaultBranch: z.string().optional(),
  }),
});

export function validateSkeletonContext(context: SkeletonContext, request: RepoRequest): SkeletonContext {
  const result = contextSchema.safeParse(context);
  const problems = result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
  if (result.success && result.data.owner.team.toLowerCase() !== request.ownerTeam.toLowerCase()) {
    problems.push(`owner.team "${result.data.owner.team}" is not the requested owner team "${request.ownerTeam}"`);
  }
  if (!result.success || problems.length) {
    throw new DomainError('REPOS.INVALID_SKELETON_CONTEXT', `cannot generate the skeleton: ${problems.join('; ')}`, { problems });
  }
  const { owner } = result.data;
  // Omit empty optional prose rather than write empty README lines and annotations.
  return {
    ...result.data,
    owner: {
      team: request.ownerTeam,
      displayName: owner.displayName || request.ownerTeam,
      ...(owner.email ? { email: owner.email } : {}),
      ...(owner.teamsChannelUrl ? { teamsChannelUrl: owner.teamsChannelUrl } : {}),
      ...(owner.onCallRotation ? { onCallRotation: owner.onCallRotation } : {}),
    },
  };
}
