/** Owner teams are catalog Groups: their ref, what the generated files say about them, close names. */
import type { CatalogSearch } from '../catalog/catalog-search.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import type { SkeletonOwner } from './skeleton/skeleton.types';

export const teamRef = (team: string): string => `group:default/${team}`.toLowerCase();

/** The part of the catalog search the team suggestions use. */
export type TeamSearch = Pick<CatalogSearch, 'isBuilt' | 'search'>;

/** Up to three Group names close to `text`; [] before the index is built. */
export function teamSuggestions(search: TeamSearch, text: string): string[] {
  if (!search.isBuilt) return [];
  return search
    .search(text, 20)
    .filter((s) => s.kind === 'Group')
    .slice(0, 3)
    .map((s) => s.name);
}

const PROSE_LIMIT = 200;
const clip = (s: string | undefined): string | undefined => (s === undefined ? undefined : s.length > PROSE_LIMIT ? s.slice(0, PROSE_LIMIT) : s);

/** README ownership, CODEOWNERS and catalog-info.yaml annotations come from the team's catalog entry. */
export function teamOwner(group: CatalogEntity): SkeletonOwner {
  const email = group.profile?.email ?? group.contacts.email;
  const rotation = clip(group.onCall?.rotation);
  return {
    team: group.name,
    displayName: clip(group.profile?.displayName ?? group.title ?? group.name)!,
    ...(email ? { email } : {}),
    ...(group.contacts.teamsChannelUrl ? { teamsChannelUrl: group.contacts.teamsChannelUrl } : {}),
    ...(rotation ? { onCallRotation: rotation } : {}),
    ...(group.profile?.aadObjectId ? { directoryGroupId: group.profile.aadObjectId } : {}),
  };
}
