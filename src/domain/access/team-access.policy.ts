/**
 * Who may act for a team (create its repositories, add its pipelines): a member of the team, or
 * of a platform group. Membership is read at the moment of the decision from two sources, either
 * of which may say yes: the catalog Group's members (Users matched by Entra object id or e-mail)
 * and the directory (the Entra group behind the team, nested groups included). Anything else is
 * a no: default deny.
 */
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import type { Directory } from './directory.port';

export interface Actor {
  /** Entra object id (Teams aadObjectId); the channel user id only where there is none. */
  id: string;
  name: string;
  email?: string;
}

export type AccessDecision = { allowed: true; via: 'team' | 'platform' } | { allowed: false; reason: string };

export interface TeamAccessPolicyDeps {
  /** Absent where no directory is configured: the catalog's membership alone decides (no platform groups). */
  directory?: Directory;
  catalog: CatalogStore;
  /** Directory group display names whose members may act for any team. */
  platformGroups: readonly string[];
}

export class TeamAccessPolicy {
  constructor(private readonly deps: TeamAccessPolicyDeps) {}

  async canActFor(actor: Actor, team: CatalogEntity): Promise<AccessDecision> {
    // Both sources at once; the directory may fail, the catalog answer still counts.
    const directoryGroups = (this.deps.directory?.groupsOf(actor.id) ?? Promise.resolve([])).then(
      (g) => ({ ok: true as const, g }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const [inCatalog, groups] = await Promise.all([this.catalogMember(actor, team), directoryGroups]);
    if (inCatalog) return { allowed: true, via: 'team' };
    if (!groups.ok) throw groups.error;
    const teamGroupId = team.profile?.aadObjectId?.toLowerCase();
    if (teamGroupId && groups.g.some((g) => g.id.toLowerCase() === teamGroupId)) return { allowed: true, via: 'team' };
    const platform = new Set(this.deps.platformGroups.map((p) => p.toLowerCase()));
    if (groups.g.some((g) => platform.has(g.displayName.toLowerCase()))) return { allowed: true, via: 'platform' };
    return { allowed: false, reason: this.denial(actor, team) };
  }

  private async catalogMember(actor: Actor, team: CatalogEntity): Promise<boolean> {
    if (!team.members.length) return false;
    const users = await this.deps.catalog.getMany(team.members.filter((ref) => ref.startsWith('user:')));
    const id = actor.id.toLowerCase();
    const email = actor.email?.toLowerCase();
    // An orphaned User (gone from its file: someone who left) is no member, whatever the team still lists.
    return users.some((u) => u.status === 'active' && (u.profile?.aadObjectId?.toLowerCase() === id || (email !== undefined && u.profile?.email?.toLowerCase() === email)));
  }

  private denial(actor: Actor, team: CatalogEntity): string {
    const teamName = team.profile?.displayName ?? team.title ?? team.name;
    const platform = this.deps.platformGroups.length ? ` or of ${this.deps.platformGroups.map((g) => `"${g}"`).join(', ')}` : '';
    return `${actor.name} is not a member of the team ${teamName} (${team.name})${platform}. Ask someone in ${teamName} to do it, or to add you to the team.`;
  }
}
