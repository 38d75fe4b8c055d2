/**
 * One rule for deployment targets, used by the request form and the pipeline generator alike:
 * at least one, no duplicates, in release order, and prod only after staging (a release never
 * reaches production without passing a pre-production environment first).
 */
import { ENVIRONMENTS, type Environment } from './pipelines.types';

/** Reasons complete "the deployment targets ...". */
export type EnvironmentsResult = { ok: true; environments: Environment[] } | { ok: false; reasons: string[] };

export function normalizeEnvironments(input: readonly string[]): EnvironmentsResult {
  const unknown = input.filter((e) => !(ENVIRONMENTS as readonly string[]).includes(e));
  if (unknown.length) {
    return { ok: false, reasons: unknown.map((e) => `include "${e}", which is not one of ${ENVIRONMENTS.join(', ')}`) };
  }
  const environments = ENVIRONMENTS.filter((e) => input.includes(e));
  if (!environments.length) return { ok: false, reasons: [`are empty (choose at least one of ${ENVIRONMENTS.join(', ')})`] };
  if (environments.includes('prod') && !environments.includes('staging')) {
    return { ok: false, reasons: ['include prod but not staging (every release passes staging before production)'] };
  }
  return { ok: true, environments };
}

/** Plain words people type for the targets. */
const ENVIRONMENT_ALIASES: Record<string, Environment> = {
  dev: 'dev', development: 'dev', develop: 'dev',
  staging: 'staging', stage: 'staging', stg: 'staging', preprod: 'staging', 'pre-prod': 'staging',
  prod: 'prod', production: 'prod', prd: 'prod', live: 'prod',
};

export const environmentFromAlias = (word: string): Environment | undefined => ENVIRONMENT_ALIASES[word.trim().toLowerCase()];
