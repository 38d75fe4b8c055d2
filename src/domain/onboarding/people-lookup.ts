/**
 * A person named in a request (object id, userPrincipalName, mail or display name) found in the
 * directory: exactly one, or the problem in words (nobody, several: which ones).
 */
import type { DirectoryUser } from '../access/access.types';
import type { Directory } from '../access/directory.port';
import type { OnboardingPerson } from './onboarding.types';

export const personOf = (u: DirectoryUser): OnboardingPerson => ({ id: u.id, userPrincipalName: u.userPrincipalName, name: u.displayName });

export type PersonLookup = { user: DirectoryUser } | { problem: string };

/** `field` names the input in the problem ("person", "buddy"). */
export async function findPerson(directory: Pick<Directory, 'getUser' | 'searchUsers'>, text: string, field: string): Promise<PersonLookup> {
  const wanted = text.trim();
  const direct = await directory.getUser(wanted);
  if (direct) return { user: direct };
  const found = await directory.searchUsers(wanted, 6);
  const exact = found.filter((u) => [u.displayName, u.userPrincipalName, u.mail ?? ''].some((v) => v.toLowerCase() === wanted.toLowerCase()));
  const candidates = exact.length ? exact : found;
  if (candidates.length === 1) return { user: candidates[0]! };
  if (!candidates.length) return { problem: `${field}: nobody in the directory is called "${wanted}"` };
  const names = candidates.slice(0, 5).map((u) => `${u.displayName} (${u.userPrincipalName})`);
  return { problem: `${field}: "${wanted}" matches ${candidates.length > 5 ? 'more than five' : candidates.length} people (${names.join(', ')}); give the userPrincipalName` };
}
