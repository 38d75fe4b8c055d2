/**
 * A validated Backstage entity -> what the catalog stores (CatalogEntityInput): refs normalised
 * with Backstage's default kind per field, the declaring side of each relation, and the operational
 * facts read from annotations (descriptor-annotations.ts). Conventions: docs/catalog-descriptors.md.
 */
import type { Entity } from '@backstage/catalog-model';
import type { ApiDefinitionRef, CatalogEntityInput, Contacts, EntityKind, EntityLink, EntityRelation, RelationType, SourceInfo, TeamOnboarding } from './catalog.types';
import { ANNOTATIONS, DescriptorFieldError, annotationField, clientId, email, httpsUrl, list, onCallFrom, projectGroups, projectRepo } from './descriptor-annotations';
import { canonicalKind, entityRef, normalizeRef } from './entity-refs';
import { defaultLinkTitle, linkType } from './link-types';

export interface RepositoryHint {
  project: string;
  name: string;
  url?: string;
}

export interface MapOptions {
  location: string;
  sourceHash: string;
  /** The repository the descriptor was read from: a Component without the project-repo annotation lives there. */
  repository?: RepositoryHint;
  /** API: where `spec.definition` came from when it was a placeholder (else it was written inline). */
  definition?: ApiDefinitionRef;
}

/** spec field -> relation on the declaring entity, with the kind a shorthand ref defaults to. */
interface RelationField {
  field: string;
  relation: RelationType;
  defaultKind: string;
}

const RELATION_FIELDS: Record<string, RelationField[]> = {
  Component: [
    { field: 'owner', relation: 'ownedBy', defaultKind: 'group' },
    { field: 'system', relation: 'partOf', defaultKind: 'system' },
    { field: 'subcomponentOf', relation: 'partOf', defaultKind: 'component' },
    { field: 'providesApis', relation: 'providesApi', defaultKind: 'api' },
    { field: 'consumesApis', relation: 'consumesApi', defaultKind: 'api' },
    { field: 'dependsOn', relation: 'dependsOn', defaultKind: 'component' },
    { field: 'dependencyOf', relation: 'dependencyOf', defaultKind: 'component' },
  ],
  API: [
    { field: 'owner', relation: 'ownedBy', defaultKind: 'group' },
    { field: 'system', relation: 'partOf', defaultKind: 'system' },
  ],
  Resource: [
    { field: 'owner', relation: 'ownedBy', defaultKind: 'group' },
    { field: 'system', relation: 'partOf', defaultKind: 'system' },
    { field: 'dependsOn', relation: 'dependsOn', defaultKind: 'component' },
    { field: 'dependencyOf', relation: 'dependencyOf', defaultKind: 'component' },
  ],
  System: [
    { field: 'owner', relation: 'ownedBy', defaultKind: 'group' },
    { field: 'domain', relation: 'partOf', defaultKind: 'domain' },
  ],
  Domain: [
    { field: 'owner', relation: 'ownedBy', defaultKind: 'group' },
    { field: 'subdomainOf', relation: 'partOf', defaultKind: 'domain' },
  ],
  Group: [
    { field: 'parent', relation: 'childOf', defaultKind: 'group' },
    { field: 'children', relation: 'parentOf', defaultKind: 'group' },
    { field: 'members', relation: 'hasMember', defaultKind: 'user' },
  ],
  User: [{ field: 'memberOf', relation: 'memberOf', defaultKind: 'group' }],
};

/** Any other kind (Template, AiResource, kinds from plugins): the fields most of them share, when they are refs. */
const GENERIC_RELATION_FIELDS: RelationField[] = [
  { field: 'owner', relation: 'ownedBy', defaultKind: 'group' },
  { field: 'system', relation: 'partOf', defaultKind: 'system' },
];

type Spec = Record<string, unknown>;

export function toCatalogEntity(entity: Entity, options: MapOptions): CatalogEntityInput {
  const kind = canonicalKind(entity.kind);
  const meta = entity.metadata;
  const namespace = (meta.namespace ?? 'default').toLowerCase();
  const spec: Spec = (entity.spec as Spec | undefined) ?? {};
  const annotations = meta.annotations ?? {};
  const ref = (field: string, value: unknown, defaultKind: string): string => {
    try {
      return normalizeRef(value, defaultKind, namespace);
    } catch (e) {
      throw new DescriptorFieldError(`spec.${field}`, (e as Error).message);
    }
  };
  // A kind Backstage has no processor for (Template, a plugin's): what is not a ref is no relation, not a rejection.
  const generic = !Object.hasOwn(RELATION_FIELDS, kind);
  const relations = relationsOf(kind, spec, generic ? lenient(ref) : ref);
  const single = (field: string, defaultKind: string) => (typeof spec[field] === 'string' ? ref(field, spec[field], defaultKind) : undefined);
  const profile = profileOf(kind, spec, annotations);
  const tier = annotations[ANNOTATIONS.tier]?.trim();
  const onCall = onCallFrom(annotations);

  return dropUndefined({
    ref: entityRef(kind, namespace, meta.name),
    kind,
    namespace,
    name: meta.name,
    title: meta.title,
    description: meta.description,
    tags: meta.tags ?? [],
    aliases: list(annotations[ANNOTATIONS.aliases]),
    type: typeof spec.type === 'string' ? spec.type : undefined,
    lifecycle: typeof spec.lifecycle === 'string' ? spec.lifecycle : undefined,
    tier: tier || undefined,
    owner: generic ? relations.find((r) => r.type === 'ownedBy')?.target : single('owner', 'group'),
    system: generic ? relations.find((r) => r.type === 'partOf')?.target : single('system', 'system'),
    domain: kind === 'System' ? single('domain', 'domain') : undefined,
    relations,
    contacts: contactsOf(annotations, profile?.email),
    onCall,
    links: linksOf(meta.links ?? []),
    source: sourceOf(kind, meta.name, annotations, options.repository, meta.links ?? []),
    profile,
    onboarding: kind === 'Group' ? onboardingOf(annotations, namespace) : undefined,
    members: relations.filter((r) => r.type === 'hasMember' || r.type === 'memberOf').map((r) => r.target),
    definition: kind === 'API' ? (options.definition ?? inlineDefinition(spec.definition)) : undefined,
    location: options.location,
    sourceHash: options.sourceHash,
  });
}

type RefReader = (field: string, value: unknown, defaultKind: string) => string | undefined;

const lenient = (ref: RefReader): RefReader => (field, value, defaultKind) => {
  try {
    return ref(field, value, defaultKind);
  } catch {
    return undefined;
  }
};

function relationsOf(kind: EntityKind, spec: Spec, ref: RefReader): EntityRelation[] {
  const relations: EntityRelation[] = [];
  const seen = new Set<string>();
  const known = Object.hasOwn(RELATION_FIELDS, kind) ? RELATION_FIELDS[kind] : undefined;
  for (const { field, relation, defaultKind } of known ?? GENERIC_RELATION_FIELDS) {
    const value = spec[field];
    // A plugin's kind may use `owner`/`system` for something else than a ref: only strings are read.
    if (!known && typeof value !== 'string') continue;
    const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    for (const v of values) {
      const target = ref(field, v, defaultKind);
      if (target === undefined) continue;
      const key = `${relation} ${target}`;
      if (!seen.has(key)) relations.push({ type: relation, target });
      seen.add(key);
    }
  }
  return relations;
}

const inlineDefinition = (definition: unknown): ApiDefinitionRef | undefined =>
  typeof definition === 'string' ? { source: 'inline', bytes: Buffer.byteLength(definition, 'utf8') } : undefined;

function profileOf(kind: EntityKind, spec: Spec, annotations: Record<string, string>): CatalogEntityInput['profile'] {
  if (kind !== 'Group' && kind !== 'User') return undefined;
  const p = (spec.profile ?? {}) as { displayName?: string; email?: string };
  const aadObjectId = annotations[kind === 'User' ? ANNOTATIONS.graphUserId : ANNOTATIONS.graphGroupId]?.trim();
  const profile = dropUndefined({
    displayName: p.displayName,
    email: p.email ? email(p.email, 'spec.profile.email') : undefined,
    aadObjectId: aadObjectId || undefined,
  });
  return Object.keys(profile).length ? profile : undefined;
}

function onboardingOf(annotations: Record<string, string>, namespace: string): TeamOnboarding | undefined {
  const lead = annotations[ANNOTATIONS.teamLead]?.trim();
  const devops = annotations[ANNOTATIONS.devopsProjectGroups];
  const onboarding: TeamOnboarding = {
    ...(lead ? { lead: leadRef(lead, namespace) } : {}),
    channels: list(annotations[ANNOTATIONS.onboardingChannels]),
    groups: list(annotations[ANNOTATIONS.onboardingGroups]),
    devopsGroups: devops ? projectGroups(devops, annotationField(ANNOTATIONS.devopsProjectGroups)) : [],
  };
  return onboarding.lead || onboarding.channels.length || onboarding.groups.length || onboarding.devopsGroups.length ? onboarding : undefined;
}

function leadRef(value: string, namespace: string): string {
  let ref: string;
  try {
    ref = normalizeRef(value, 'user', namespace);
  } catch (e) {
    throw new DescriptorFieldError(annotationField(ANNOTATIONS.teamLead), (e as Error).message);
  }
  // The lead approves onboarding as a person: a Group (or any other kind) would never be found in the directory.
  if (!ref.startsWith('user:')) throw new DescriptorFieldError(annotationField(ANNOTATIONS.teamLead), `expected a User (a name or user:<namespace>/<name>), got "${value}"`);
  return ref;
}

function contactsOf(annotations: Record<string, string>, profileEmail: string | undefined): Contacts {
  const channel = annotations[ANNOTATIONS.teamsChannelUrl];
  const mail = annotations[ANNOTATIONS.email];
  return dropUndefined({
    teamsChannelUrl: channel ? httpsUrl(channel, annotationField(ANNOTATIONS.teamsChannelUrl)) : undefined,
    email: mail ? email(mail, annotationField(ANNOTATIONS.email)) : profileEmail,
  });
}

function linksOf(links: { url: string; title?: string; type?: string }[]): EntityLink[] {
  return links.map((l) => ({ url: l.url, title: l.title?.trim() || defaultLinkTitle(l.url), type: linkType(l) }));
}

function sourceOf(kind: EntityKind, name: string, annotations: Record<string, string>, hint: RepositoryHint | undefined, links: { url: string }[]): SourceInfo {
  const annotated = annotations[ANNOTATIONS.projectRepo];
  const repo = annotated ? projectRepo(annotated, annotationField(ANNOTATIONS.projectRepo)) : kind === 'Component' ? hint : undefined;
  const prefix = annotations[ANNOTATIONS.secretPrefix]?.trim() || (kind === 'Component' ? name : undefined);
  // The descriptor's own link to the repository first: the hint's URL is what the API reports (a stand-in's in the sandbox).
  const url = repo ? (repoLink(links, repo.name) ?? (sameRepo(hint, repo) ? hint?.url : undefined)) : undefined;
  const workload = annotations[ANNOTATIONS.workloadIdentityClientId];
  return dropUndefined({
    repository: repo ? dropUndefined({ project: repo.project, name: repo.name, url }) : undefined,
    pipelines: list(annotations[ANNOTATIONS.buildDefinition]),
    secretPrefix: prefix,
    workloadIdentity: workload?.trim() ? { clientId: clientId(workload, annotationField(ANNOTATIONS.workloadIdentityClientId)) } : undefined,
  });
}

const sameRepo = (a: RepositoryHint | undefined, b: { project: string; name: string }): boolean =>
  !!a && a.project.toLowerCase() === b.project.toLowerCase() && a.name.toLowerCase() === b.name.toLowerCase();

/** A link to the repository itself (`.../_git/<name>`), when the descriptor has one. */
function repoLink(links: { url: string }[], name: string): string | undefined {
  // String search, not a RegExp built per entity: compiling one each time cost ~45 us per entity.
  const needle = `/_git/${name.toLowerCase()}`;
  return links.find((l) => {
    const url = l.url.toLowerCase();
    const at = url.indexOf(needle);
    const next = url.charAt(at + needle.length);
    return at >= 0 && (next === '' || '/?#'.includes(next));
  })?.url;
}

function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
