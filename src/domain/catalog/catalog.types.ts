/**
 * The service catalog's entity model: Backstage's kinds and relations, plus the operational facts
 * an on-call engineer needs at 2 AM (contacts, who is on call, deployments, links).
 * Refs are Backstage entity refs in lower case: `component:default/payments-api`.
 */

/** The kinds Backstage itself defines (its catalog model validates their spec). */
export const ENTITY_KINDS = ['Component', 'API', 'Resource', 'System', 'Domain', 'Group', 'User'] as const;
export type KnownKind = (typeof ENTITY_KINDS)[number];
/** A known kind, or any other kind whose envelope validates (`Template`, kinds from plugins), as the descriptor spells it. */
export type EntityKind = KnownKind | (string & {});
export const isKnownKind = (kind: string): kind is KnownKind => (ENTITY_KINDS as readonly string[]).includes(kind);

export const RELATION_TYPES = [
  'ownedBy', 'ownerOf', 'dependsOn', 'dependencyOf', 'providesApi', 'apiProvidedBy',
  'consumesApi', 'apiConsumedBy', 'partOf', 'hasPart', 'memberOf', 'hasMember', 'childOf', 'parentOf',
] as const;
export type RelationType = (typeof RELATION_TYPES)[number];

export interface EntityRelation {
  type: RelationType;
  /** Entity ref of the other end. */
  target: string;
}

export const LINK_TYPES = ['dashboard', 'logs', 'runbook', 'docs', 'api', 'repository', 'pipeline', 'other'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export interface EntityLink {
  url: string;
  title: string;
  type: LinkType;
}

export interface Person {
  name: string;
  email?: string;
  /** Entra object id: lets the bot mention or message them in Teams. */
  aadObjectId?: string;
}

export interface Contacts {
  /** Deep link to the owning team's Teams channel. */
  teamsChannelUrl?: string;
  email?: string;
}

export interface OnCall {
  /** Name or URL of the rotation (PagerDuty/Opsgenie schedule...). */
  rotation?: string;
  /** Who holds the pager right now; set from outside (the on-call endpoint) or from the descriptor. */
  current?: Person & { until?: Date };
  escalation: (Person & { level: number })[];
  updatedAt?: Date;
}

export const DEPLOYMENT_STATUSES = ['succeeded', 'failed', 'in_progress', 'rolled_back'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export interface Deployment {
  environment: string;
  version: string;
  status: DeploymentStatus;
  deployedAt: Date;
  pipelineRunUrl?: string;
  deployedBy?: string;
}

/** Where an entity's code and automation live: used to answer "who owns <repo|pipeline|secret>". */
export interface SourceInfo {
  /** Azure DevOps `Project/repo`. */
  repository?: { project: string; name: string; url?: string };
  pipelines: string[];
  /** Key Vault secret name prefix of the service (naming convention `<service>--<env>--<name>`). */
  secretPrefix?: string;
  /** Component: the workload identity its pods run as (annotation `azure.workload.identity/client-id`); secrets are granted to it. */
  workloadIdentity?: { clientId: string };
}

/**
 * Where an API's `spec.definition` is: written inline, read at import from a file next to the
 * descriptor (`$text: ./openapi.yaml`), or a URL kept as a reference (the card links it).
 */
export interface ApiDefinitionRef {
  source: 'inline' | 'file' | 'url';
  /** The file path or URL as the descriptor wrote it (absent for inline). */
  target?: string;
  /** Size of the definition text when it was read (inline or file). */
  bytes?: number;
}

/** A team's onboarding settings, as its catalog Group lists them. */
export interface TeamOnboarding {
  /** Entity ref of the team lead (a User). */
  lead?: string;
  channels: string[];
  groups: string[];
  devopsGroups: { project: string; group: 'projectReader' | 'projectContributor' | 'projectAdministrator' | 'projectStakeholder' }[];
}

/** What an import writes: everything that comes from the descriptor file. */
export interface CatalogEntityInput {
  ref: string;
  kind: EntityKind;
  namespace: string;
  name: string;
  title?: string;
  description?: string;
  tags: string[];
  aliases: string[];
  /** spec.type: service, website, library, openapi, database, team... */
  type?: string;
  lifecycle?: string;
  tier?: string;
  /** Entity ref of the owner (a Group or User). */
  owner?: string;
  system?: string;
  domain?: string;
  relations: EntityRelation[];
  contacts: Contacts;
  onCall?: OnCall;
  links: EntityLink[];
  source: SourceInfo;
  /** Group: profile; User: profile. */
  profile?: { displayName?: string; email?: string; aadObjectId?: string };
  /** Group: what onboarding grants a joiner (from its annotations); absent when it lists nothing. */
  onboarding?: TeamOnboarding;
  /** Group members / User groups as refs (from spec.members / spec.memberOf). */
  members: string[];
  /** API: its definition; absent when the descriptor has none (or it could not be read). */
  definition?: ApiDefinitionRef;
  /** Location the entity was read from (`file:/abs/path` or `azure-devops:Project/repo`). */
  location: string;
  /** Hash of the source descriptor: an unchanged file changes nothing on re-import. */
  sourceHash: string;
}

export type EntityStatus = 'active' | 'orphaned';

/** A stored entity: the descriptor part plus facts recorded from outside. */
export interface CatalogEntity extends CatalogEntityInput {
  status: EntityStatus;
  deployments: Deployment[];
  /** Monotonic per store: the search index refreshes by reading entities newer than what it has. */
  revision: number;
  updatedAt: Date;
}

export interface ImportProblem {
  location: string;
  /** Entity name when it could be read, else undefined. */
  entity?: string;
  reason: string;
}

/**
 * Something an import noticed that rejects nothing (a YAML document that is not an entity, a
 * placeholder kept as a URL reference or whose file could not be read): reported, never a reason
 * to fail. Problems are what Backstage would reject; notes are not problems.
 */
export interface ImportNote {
  location: string;
  /** Entity name when the note is about one. */
  entity?: string;
  message: string;
}

export interface ImportResult {
  location: string;
  created: number;
  updated: number;
  unchanged: number;
  orphaned: number;
  /** Rejected documents and unreadable locations: an import with any is not clean. */
  problems: ImportProblem[];
  /** Information only (see ImportNote): an import with notes and no problems is clean. */
  notes: ImportNote[];
}
