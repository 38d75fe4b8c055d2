/**
 * ApproverResolver over the directory and the catalog:
 * - manager: the directory's manager of the person (Graph `/users/{id}/manager`);
 * - team-members: the catalog Group's Users (by Entra object id) and the members of the Entra group
 *   behind it (profile.aadObjectId, nested groups included): either source may name a member, as
 *   for TeamAccessPolicy; an orphaned catalog User (someone who left) is no member;
 * - users: the people named, as the directory knows them.
 * The directory has the last word: only people it knows with an enabled account can approve (a
 * disabled approver would leave the request waiting for nobody).
 */
import type { Directory } from '../access/directory.port';
import type { DirectoryUser } from '../access/access.types';
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { ApprovalPerson, ApproverStrategy } from './approval.types';
import type { ApproverResolver } from './approver-resolver.port';

export interface DirectoryApproverResolverDeps {
  directory: Directory;
  catalog: Pick<CatalogStore, 'get' | 'getMany'>;
}

const person = (u: DirectoryUser): ApprovalPerson => ({ id: u.id, name: u.displayName });

export class DirectoryApproverResolver implements ApproverResolver {
  constructor(private readonly deps: DirectoryApproverResolverDeps) {}

  async approversFor(strategy: ApproverStrategy): Promise<ApprovalPerson[]> {
    switch (strategy.kind) {
      case 'manager': {
        const manager = await this.deps.directory.getManager(strategy.of);
        return manager?.accountEnabled ? [person(manager)] : [];
      }
      case 'users':
        return this.enabled(strategy.ids);
      case 'team-members':
        return this.teamMembers(strategy.team);
    }
  }

  private async teamMembers(teamRef: string): Promise<ApprovalPerson[]> {
    const team = await this.deps.catalog.get(teamRef.toLowerCase());
    if (!team || team.kind !== 'Group' || team.status !== 'active') return [];
    const catalogUsers = await this.deps.catalog.getMany(team.members.filter((ref) => ref.startsWith('user:')));
    const fromCatalog = catalogUsers.filter((u) => u.status === 'active').flatMap((u) => (u.profile?.aadObjectId ? [u.profile.aadObjectId] : []));
    const groupId = team.profile?.aadObjectId;
    const fromDirectory = groupId ? (await this.deps.directory.membersOf(groupId)).filter((u) => u.accountEnabled) : [];
    const known = new Set(fromDirectory.map((u) => u.id.toLowerCase()));
    const onlyInCatalog = await this.enabled(fromCatalog.filter((id) => !known.has(id.toLowerCase())));
    return dedupe([...fromDirectory.map(person), ...onlyInCatalog]);
  }

  private async enabled(ids: string[]): Promise<ApprovalPerson[]> {
    const users = await Promise.all(dedupeIds(ids).map((id) => this.deps.directory.getUser(id)));
    return users.filter((u): u is DirectoryUser => u !== null && u.accountEnabled).map(person);
  }
}

const dedupeIds = (ids: string[]): string[] => [...new Map(ids.map((id) => [id.toLowerCase(), id])).values()];
const dedupe = (people: ApprovalPerson[]): ApprovalPerson[] => [...new Map(people.map((p) => [p.id.toLowerCase(), p])).values()].sort((a, b) => a.name.localeCompare(b.name));
