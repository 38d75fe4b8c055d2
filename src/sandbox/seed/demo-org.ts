/**
 * The sandbox's demo organisation: one tenant, a few teams with managers and members, Azure DevOps
 * projects with repositories, and the services they own. Every stand-in is seeded from this one
 * description, so the directory, Azure DevOps and the catalog agree with each other.
 * Ids are fixed so tests and people can refer to them.
 */
import { REPOSITORY_DESCRIPTORS } from './repository-descriptors';

export const DEMO_TENANT_ID = 'c0ffee00-0000-4000-8000-000000000001';
export const DEMO_DOMAIN = 'contoso.example';
export const DEMO_ORG = 'contoso';

export interface DemoUser {
  /** Entra object id (also the Teams aadObjectId). */
  id: string;
  /** Teams channel user id ("29:..."), what activities carry in from.id. */
  teamsId: string;
  userPrincipalName: string;
  displayName: string;
  jobTitle: string;
  managerId?: string;
  /** False: the account is disabled in the directory (someone who left). */
  accountEnabled?: boolean;
}

/** A channel of a team besides General; private and shared channels have their own members. */
export interface DemoChannel {
  id: string;
  displayName: string;
  membershipType: 'standard' | 'private' | 'shared';
  memberIds: string[];
}

export interface DemoTeam {
  /** Entra group id (a Teams team is a group). */
  id: string;
  /** Catalog name of the owning Group entity. */
  name: string;
  displayName: string;
  description: string;
  managerId: string;
  memberIds: string[];
  /** Teams channel conversation id of the team's General channel. */
  channelId: string;
  email: string;
  /** Channels besides General. */
  channels: DemoChannel[];
}

export interface DemoProject {
  id: string;
  name: string;
  description: string;
  repositories: { id: string; name: string; stack: 'node' | 'java' | 'python'; files: Record<string, string> }[];
}

const user = (n: number, slug: string, displayName: string, jobTitle: string, managerId?: string): DemoUser => ({
  id: `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`,
  teamsId: `29:demo-${slug}`,
  userPrincipalName: `${slug}@${DEMO_DOMAIN}`,
  displayName,
  jobTitle,
  managerId,
});

export const USERS = {
  bob: user(2, 'bob', 'Bob Manager', 'Engineering Manager, Payments'),
  erin: user(5, 'erin', 'Erin Lead', 'Engineering Manager, Search'),
  carol: user(3, 'carol', 'Carol Platform', 'Platform Engineer'),
  paula: user(8, 'paula', 'Paula Head', 'Head of Platform'),
} as const satisfies Record<string, DemoUser>;

export const DEMO_USERS: DemoUser[] = [
  USERS.bob,
  USERS.erin,
  { ...USERS.carol, managerId: USERS.paula.id },
  USERS.paula,
  user(1, 'alice', 'Alice Developer', 'Software Engineer', USERS.bob.id),
  user(4, 'dave', 'Dave Searcher', 'Software Engineer', USERS.erin.id),
  user(6, 'grace', 'Grace Oncall', 'Site Reliability Engineer', USERS.paula.id),
  user(7, 'frank', 'Frank Newjoiner', 'Software Engineer (joining)', USERS.bob.id),
  // Onboarding: Henry starts in Payments and has never opened Teams; Ivan left (disabled); Jules has no manager.
  user(9, 'henry', 'Henry Joiner', 'Software Engineer', USERS.bob.id),
  { ...user(10, 'ivan', 'Ivan Former', 'Software Engineer (left)', USERS.erin.id), accountEnabled: false },
  user(11, 'jules', 'Jules Contractor', 'Contract Engineer'),
];

export const userBySlug = (slug: string): DemoUser => {
  const found = DEMO_USERS.find((u) => u.userPrincipalName === `${slug}@${DEMO_DOMAIN}`);
  if (!found) throw new Error(`No demo user "${slug}"`);
  return found;
};

const id = (slug: string) => userBySlug(slug).id;

export const DEMO_TEAMS: DemoTeam[] = [
  {
    id: '10000000-0000-4000-b000-000000000001',
    name: 'team-payments',
    displayName: 'Payments',
    description: 'Card payments, refunds and the checkout API.',
    managerId: id('bob'),
    memberIds: [id('alice'), id('bob'), id('frank')],
    channelId: '19:payments-general@thread.tacv2',
    email: `payments@${DEMO_DOMAIN}`,
    channels: [
      { id: '19:payments-releases@thread.tacv2', displayName: 'Releases', membershipType: 'standard', memberIds: [] },
      { id: '19:payments-oncall@thread.tacv2', displayName: 'On-call', membershipType: 'private', memberIds: [id('alice'), id('bob')] },
      { id: '19:checkout-partners@thread.tacv2', displayName: 'Checkout partners', membershipType: 'shared', memberIds: [id('bob')] },
    ],
  },
  {
    id: '10000000-0000-4000-b000-000000000002',
    name: 'team-search',
    displayName: 'Search',
    description: 'Product search and indexing.',
    managerId: id('erin'),
    memberIds: [id('dave'), id('erin')],
    channelId: '19:search-general@thread.tacv2',
    email: `search@${DEMO_DOMAIN}`,
    channels: [],
  },
  {
    id: '10000000-0000-4000-b000-000000000003',
    name: 'team-platform',
    displayName: 'Platform',
    description: 'The internal developer platform: CI/CD, clusters, this bot.',
    managerId: id('paula'),
    memberIds: [id('carol'), id('grace'), id('paula')],
    channelId: '19:platform-general@thread.tacv2',
    email: `platform@${DEMO_DOMAIN}`,
    channels: [{ id: '19:platform-incidents@thread.tacv2', displayName: 'Incidents', membershipType: 'private', memberIds: [id('carol'), id('grace'), id('paula')] }],
  },
];

/** Directory groups that are not teams: policy uses them (platform engineers may act for any team). */
export const DEMO_GROUPS = [
  { id: '20000000-0000-4000-b000-000000000001', displayName: 'platform-engineers', memberIds: [id('carol'), id('paula')] },
  { id: '20000000-0000-4000-b000-000000000002', displayName: 'oncall-sre', memberIds: [id('grace')] },
  // Access groups a Payments joiner gets (the team's catalog entry lists them).
  { id: '20000000-0000-4000-b000-000000000003', displayName: 'payments-developers', memberIds: [id('alice'), id('bob')] },
  { id: '20000000-0000-4000-b000-000000000004', displayName: 'pci-cardholder-data', memberIds: [id('alice')] },
  // Who may ask for onboarding of anyone (with the platform engineers).
  { id: '20000000-0000-4000-b000-000000000005', displayName: 'people-ops', memberIds: [] as string[] },
];

/** The Teams app id of the bot in the organisation's app catalog (manifest id and catalog id). */
export const DEMO_TEAMS_APP = { externalId: '5a2db0c7-0000-4000-8000-00000000b075', catalogId: '7e1d0a2b-0000-4000-8000-00000000ca7a' };

/** The sandbox's Azure subscription and the resource group of its key vaults (ARM scopes are built from them). */
export const DEMO_AZURE = { subscriptionId: 'c0ffee00-0000-4000-8000-0000000005b5', keyVaultResourceGroup: 'rg-idp-secrets' };

export interface DemoWorkload {
  /** Catalog Component name; its descriptor carries `azure.workload.identity/client-id: <clientId>`. */
  service: string;
  /** The user-assigned managed identity's name (its service principal's displayName). */
  displayName: string;
  /** Application (client) id: what the pod's service account annotation and the catalog name. */
  clientId: string;
  /** Object id of its service principal: what a role assignment names. */
  principalId: string;
}

/** Services that run with a workload identity (the Graph stand-in serves their service principals). */
export const DEMO_WORKLOADS: DemoWorkload[] = [
  { service: 'payments-api', displayName: 'id-payments-api', clientId: '3c1d0000-0000-4000-8000-0000000c1a01', principalId: '3c1d0000-0000-4000-8000-0000000d5a01' },
  { service: 'payments-web', displayName: 'id-payments-web', clientId: '3c1d0000-0000-4000-8000-0000000c1a02', principalId: '3c1d0000-0000-4000-8000-0000000d5a02' },
];

const nodeFiles = (name: string): Record<string, string> => ({
  '/package.json': JSON.stringify({ name, version: '1.0.0', scripts: { test: 'node --test' } }, null, 2),
  '/README.md': `# ${name}\n`,
});
const javaFiles = (name: string): Record<string, string> => ({
  '/pom.xml': `<project><modelVersion>4.0.0</modelVersion><groupId>com.contoso</groupId><artifactId>${name}</artifactId><version>1.0.0</version></project>\n`,
  '/README.md': `# ${name}\n`,
});
const pythonFiles = (name: string): Record<string, string> => ({
  '/pyproject.toml': `[project]\nname = "${name}"\nversion = "1.0.0"\n`,
  '/README.md': `# ${name}\n`,
});

/** A root catalog-info.yaml, so catalog ingestion from Azure DevOps finds the repository's Component. */
const withDescriptor = (name: string, files: Record<string, string>): Record<string, string> => ({
  ...files,
  '/catalog-info.yaml': REPOSITORY_DESCRIPTORS[name]!,
});

export const DEMO_PROJECTS: DemoProject[] = [
  {
    id: '30000000-0000-4000-c000-000000000001',
    name: 'Payments',
    description: 'Payments services',
    repositories: [
      { id: '31000000-0000-4000-c000-000000000001', name: 'payments-api', stack: 'java', files: withDescriptor('payments-api', javaFiles('payments-api')) },
      { id: '31000000-0000-4000-c000-000000000002', name: 'payments-web', stack: 'node', files: withDescriptor('payments-web', nodeFiles('payments-web')) },
    ],
  },
  {
    id: '30000000-0000-4000-c000-000000000002',
    name: 'Search',
    description: 'Search services',
    repositories: [
      { id: '31000000-0000-4000-c000-000000000003', name: 'search-indexer', stack: 'python', files: withDescriptor('search-indexer', pythonFiles('search-indexer')) },
    ],
  },
  {
    id: '30000000-0000-4000-c000-000000000003',
    name: 'Platform',
    description: 'Platform tooling',
    repositories: [
      { id: '31000000-0000-4000-c000-000000000004', name: 'platform-templates', stack: 'node', files: withDescriptor('platform-templates', nodeFiles('platform-templates')) },
    ],
  },
];
