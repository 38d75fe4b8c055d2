/**
 * Directory held in memory, seeded like the Graph stand-in from the demo organisation. Same
 * semantics as GraphDirectory (the directory contract runs on both): case-insensitive UPN and
 * group names, transitive membership through nested groups, unknown ids read as null or [].
 */
import type { DirectoryGroup, DirectoryUser } from '../../src/domain/access/access.types';
import type { Directory } from '../../src/domain/access/directory.port';
import { DomainError } from '../../src/domain/domain-error';
import { DEMO_GROUPS, DEMO_TEAMS, DEMO_USERS } from '../../src/sandbox/seed/demo-org';

export interface InMemoryGroup extends DirectoryGroup {
  /** Users or nested groups. */
  memberIds: string[];
}

export class InMemoryDirectory implements Directory {
  readonly users = new Map<string, DirectoryUser & { managerId?: string }>();
  readonly groups = new Map<string, InMemoryGroup>();

  static fromDemoOrg(): InMemoryDirectory {
    const directory = new InMemoryDirectory();
    for (const u of DEMO_USERS) {
      directory.addUser({
        id: u.id,
        userPrincipalName: u.userPrincipalName,
        displayName: u.displayName,
        mail: u.userPrincipalName,
        jobTitle: u.jobTitle,
        department: DEMO_TEAMS.find((t) => t.memberIds.includes(u.id))?.displayName ?? null,
        accountEnabled: u.accountEnabled ?? true,
        managerId: u.managerId,
      });
    }
    for (const t of DEMO_TEAMS) directory.addGroup({ id: t.id, displayName: t.displayName, mail: t.email, isTeam: true, memberIds: t.memberIds });
    for (const g of DEMO_GROUPS) directory.addGroup({ id: g.id, displayName: g.displayName, mail: null, isTeam: false, memberIds: g.memberIds });
    return directory;
  }

  addUser(user: DirectoryUser & { managerId?: string }): void {
    this.users.set(user.id, { ...user });
  }

  addGroup(group: InMemoryGroup): void {
    this.groups.set(group.id, { ...group, memberIds: [...group.memberIds] });
  }

  async getUser(idOrUpn: string): Promise<DirectoryUser | null> {
    const user = this.findUser(idOrUpn);
    return user ? publicUser(user) : null;
  }

  async getManager(userId: string): Promise<DirectoryUser | null> {
    const managerId = this.findUser(userId)?.managerId;
    const manager = managerId ? this.users.get(managerId) : undefined;
    return manager ? publicUser(manager) : null;
  }

  async groupsOf(userId: string): Promise<DirectoryGroup[]> {
    const user = this.findUser(userId);
    if (!user) return [];
    const found = new Map<string, InMemoryGroup>();
    let frontier = [user.id];
    while (frontier.length) {
      const next: string[] = [];
      for (const g of this.groups.values()) {
        if (!found.has(g.id) && frontier.some((id) => g.memberIds.includes(id))) {
          found.set(g.id, g);
          next.push(g.id);
        }
      }
      frontier = next;
    }
    return [...found.values()].map(publicGroup);
  }

  async membersOf(groupId: string): Promise<DirectoryUser[]> {
    const root = this.groups.get(groupId);
    if (!root) return [];
    const seen = new Set<string>();
    const users: DirectoryUser[] = [];
    const visit = (g: InMemoryGroup) => {
      for (const id of g.memberIds) {
        if (seen.has(id)) continue;
        seen.add(id);
        const user = this.users.get(id);
        if (user) users.push(publicUser(user));
        const nested = this.groups.get(id);
        if (nested) visit(nested);
      }
    };
    visit(root);
    return users;
  }

  async findGroupByName(displayName: string): Promise<DirectoryGroup | null> {
    const name = displayName.toLowerCase();
    const matches = [...this.groups.values()].filter((g) => g.displayName.toLowerCase() === name);
    if (matches.length > 1) throw new DomainError('DIRECTORY.AMBIGUOUS_GROUP', `More than one directory group is called "${displayName}".`, { displayName });
    return matches[0] ? publicGroup(matches[0]) : null;
  }

  /** Graph's `$search` semantics: every word of the text starts a word of the display name, or the UPN / mail starts with the text. */
  async searchUsers(text: string, limit: number): Promise<DirectoryUser[]> {
    const term = text.trim().toLowerCase();
    if (!term || !(limit >= 1)) return [];
    const wanted = words(term);
    const matches = (u: DirectoryUser) =>
      (wanted.length > 0 && wanted.every((w) => words(u.displayName).some((h) => h.startsWith(w)))) ||
      u.userPrincipalName.toLowerCase().startsWith(term) ||
      (u.mail ?? '').toLowerCase().startsWith(term);
    return [...this.users.values()]
      .filter(matches)
      .sort((a, b) => byName(a) < byName(b) ? -1 : byName(a) > byName(b) ? 1 : 0)
      .slice(0, Math.floor(limit))
      .map(publicUser);
  }

  private findUser(idOrUpn: string) {
    const key = idOrUpn.toLowerCase();
    return this.users.get(idOrUpn) ?? [...this.users.values()].find((u) => u.id.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key);
  }
}

const byName = (u: DirectoryUser) => u.displayName.toLowerCase();
const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function publicUser(u: DirectoryUser & { managerId?: string }): DirectoryUser {
  const { managerId: _managerId, ...user } = u;
  return user;
}

function publicGroup(g: InMemoryGroup): DirectoryGroup {
  return { id: g.id, displayName: g.displayName, mail: g.mail, isTeam: g.isTeam };
}
