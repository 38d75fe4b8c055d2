/**
 * What the health rules read of an entity: a slim copy made once per run, so 100,000 entities
 * cost little memory and the rules never walk relation lists twice.
 */
import { parseAzureDevOpsLocation } from '../catalog/catalog-locations';
import type { CatalogEntity, Contacts, EntityStatus, LinkType } from '../catalog/catalog.types';

export interface HealthEntity {
  ref: string;
  kind: string;
  /** Lower-case kind and lifecycle, and whether the rules check it: computed once, read by every rule. */
  kindKey: string;
  lifecycleKey?: string;
  checked: boolean;
  name: string;
  namespace: string;
  title?: string;
  status: EntityStatus;
  owner?: string;
  lifecycle?: string;
  tier?: string;
  type?: string;
  /** Targets of the entity's own dependsOn and consumesApi relations. */
  dependsOn: string[];
  /** Targets of its dependencyOf relations: those entities depend on this one. */
  dependencyOf: string[];
  contacts: Contacts;
  /** Group/User profile e-mail (a contact too). */
  profileEmail?: string;
  displayName?: string;
  /** Entra object id (Group: the group whose members are checked). */
  aadObjectId?: string;
  /** Group: member refs (spec.members); User: group refs (spec.memberOf). */
  members: string[];
  hasOnCall: boolean;
  /** Distinct link types (a handful at most). */
  linkTypes: readonly LinkType[];
  hasDefinition: boolean;
  /** Newest deployment over every environment. */
  lastDeployedAt?: Date;
  /** `azure-devops:<Project>/<repo>[/<path>]` or `file:<path>`; absent when the store did not give it. */
  location?: string;
  /** The descriptor file in Azure DevOps (its key: one per file, case-insensitive); absent for file imports. */
  descriptor?: { project: string; repository: string; path: string; key: string };
}

/** The parts of a stored entity the rules read (what CatalogStore.streamAll gives, with the location). */
export type HealthSourceEntity = Pick<CatalogEntity, 'ref' | 'kind' | 'name' | 'namespace' | 'status' | 'relations' | 'contacts' | 'links' | 'members' | 'deployments'> &
  Partial<Pick<CatalogEntity, 'title' | 'owner' | 'lifecycle' | 'tier' | 'type' | 'profile' | 'onCall' | 'definition' | 'location'>>;

/** Every field assigned, in one order: one object shape for all entities keeps the rules' property reads fast. */
export function toHealthEntity(e: HealthSourceEntity): HealthEntity {
  const dependsOn: string[] = [];
  const dependencyOf: string[] = [];
  for (const r of e.relations) {
    if (r.type === 'dependsOn' || r.type === 'consumesApi') dependsOn.push(r.target);
    else if (r.type === 'dependencyOf') dependencyOf.push(r.target);
  }
  let lastDeployedAt: Date | undefined;
  for (const d of e.deployments ?? []) {
    const at = new Date(d.deployedAt);
    if (!lastDeployedAt || at > lastDeployedAt) lastDeployedAt = at;
  }
  const linkTypes: LinkType[] = [];
  for (const l of e.links ?? []) if (!linkTypes.includes(l.type)) linkTypes.push(l.type);
  const file = e.location ? parseAzureDevOpsLocation(e.location) : undefined;
  return {
    ref: e.ref,
    kind: e.kind,
    kindKey: e.kind.toLowerCase(),
    lifecycleKey: e.lifecycle?.toLowerCase(),
    checked: isCheckedKind(e.kind),
    name: e.name,
    namespace: e.namespace,
    title: e.title || undefined,
    status: e.status,
    owner: e.owner || undefined,
    lifecycle: e.lifecycle || undefined,
    tier: e.tier || undefined,
    type: e.type || undefined,
    dependsOn,
    dependencyOf,
    contacts: { teamsChannelUrl: e.contacts?.teamsChannelUrl || undefined, email: e.contacts?.email || undefined },
    profileEmail: e.profile?.email || undefined,
    displayName: e.profile?.displayName || undefined,
    aadObjectId: e.profile?.aadObjectId || undefined,
    members: e.members ?? [],
    hasOnCall: Boolean(e.onCall?.rotation || e.onCall?.current),
    linkTypes,
    hasDefinition: e.definition !== undefined && e.definition !== null,
    lastDeployedAt,
    location: e.location || undefined,
    descriptor: file ? { ...file, key: `${file.project}/${file.repository}${file.path}`.toLowerCase() } : undefined,
  };
}

/** Kinds that have no owner of their own (Backstage's Group and User). */
const UNOWNED_KINDS = new Set(['group', 'user', 'location']);
/** Whether the health rules check this entity (Groups and Users are the owners, not the owned). */
export const isCheckedKind = (kind: string): boolean => !UNOWNED_KINDS.has(kind.toLowerCase());
