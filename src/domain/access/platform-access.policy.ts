/**
 * Who may see what only the platform team sees (the platform metrics): a member of a configured
 * platform group, read from the directory at the moment of the decision (nested groups included).
 * Default deny: no directory, no platform group configured, or not a member is a no.
 */
import type { Actor } from './team-access.policy';
import type { Directory } from './directory.port';

export type PlatformDecision = { allowed: true } | { allowed: false; reason: string };

export interface PlatformAccessPolicyDeps {
  /** Absent where no directory is configured: nobody is a platform member. */
  directory?: Pick<Directory, 'groupsOf'>;
  /** Directory group display names (PLATFORM_GROUPS). */
  platformGroups: readonly string[];
}

export class PlatformAccessPolicy {
  constructor(private readonly deps: PlatformAccessPolicyDeps) {}

  async isPlatformMember(actor: Actor): Promise<PlatformDecision> {
    const wanted = new Set(this.deps.platformGroups.map((g) => g.toLowerCase()));
    if (!this.deps.directory || wanted.size === 0) return { allowed: false, reason: 'no platform group is configured' };
    const groups = await this.deps.directory.groupsOf(actor.id);
    if (groups.some((g) => wanted.has(g.displayName.toLowerCase()))) return { allowed: true };
    return { allowed: false, reason: `${actor.name} is not a member of ${this.deps.platformGroups.map((g) => `"${g}"`).join(', ')}` };
  }
}
