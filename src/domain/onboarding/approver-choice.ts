/**
 * Who approves a person joining or leaving a team: their manager in the directory; if none (or it
 * is the requester), the team's lead in the catalog; if that is the requester too, the requester's
 * own manager. Only enabled accounts count, and never the requester. Null: nobody can.
 */
import type { DirectoryUser } from '../access/access.types';
import type { Directory } from '../access/directory.port';
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import { sameId } from '../approvals/approval.types';
import { personOf } from './people-lookup';
import type { ManagerSource, OnboardingPerson } from './onboarding.types';

export interface ApproverChoiceDeps {
  directory: Pick<Directory, 'getManager' | 'getUser'>;
  catalog: Pick<CatalogStore, 'get'>;
}

export async function chooseApprover(person: OnboardingPerson, team: CatalogEntity, requesterId: string, deps: ApproverChoiceDeps): Promise<(OnboardingPerson & { source: ManagerSource }) | null> {
  const candidates: [ManagerSource, () => Promise<DirectoryUser | null>][] = [
    ['directory-manager', () => deps.directory.getManager(person.id)],
    ['catalog-team-lead', () => teamLead(team, deps)],
    ['requester-manager', () => deps.directory.getManager(requesterId)],
  ];
  for (const [source, find] of candidates) {
    const user = await find();
    if (user?.accountEnabled && !sameId(user.id, requesterId) && !sameId(user.id, person.id)) return { ...personOf(user), source };
  }
  return null;
}

async function teamLead(team: CatalogEntity, deps: ApproverChoiceDeps): Promise<DirectoryUser | null> {
  const ref = team.onboarding?.lead;
  if (!ref) return null;
  const lead = await deps.catalog.get(ref);
  const id = lead?.status === 'active' ? (lead.profile?.aadObjectId ?? lead.profile?.email) : undefined;
  return id ? deps.directory.getUser(id) : null;
}

export const APPROVER_SOURCE_WORDS: Record<ManagerSource, string> = {
  'directory-manager': 'their manager in the directory',
  'catalog-team-lead': "the team's lead in the catalog (the directory names no other manager)",
  'requester-manager': "the requester's manager (the requester is the person's manager or team lead)",
};
