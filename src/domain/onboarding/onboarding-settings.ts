/**
 * The platform's onboarding settings: roles (tools and the dev container each gets), org-wide
 * guides, the first-week checklist, the Azure DevOps access level and the directory groups whose
 * members may ask for anyone's onboarding. Built-in defaults; a YAML file
 * (ONBOARDING_SETTINGS_FILE) replaces whole top-level keys, so a team that sets `roles` lists every
 * role it wants. Tool versions follow the golden pipelines (src/domain/pipelines/steps): JDK 21,
 * Node.js 22, Python 3.12, so what a joiner builds locally is what CI builds.
 */
import { parse } from 'yaml';
import { z } from 'zod';
import { DomainError } from '../domain-error';
import { ACCESS_LEVELS, type AccessLevel } from './devops-access.port';

export const ROLE_STACKS = ['node', 'java', 'python'] as const;
export type RoleStack = (typeof ROLE_STACKS)[number];

export interface ToolVersion {
  name: string;
  version: string;
}

export interface DevcontainerSettings {
  image: string;
  /** Dev container feature ids (ghcr.io/devcontainers/features/...) -> their options. */
  features: Record<string, Record<string, string | boolean>>;
  /** VS Code extension ids. */
  extensions: string[];
  /** Runs once the container is created (after the repositories are cloned). */
  postCreateCommand?: string;
}

export interface RoleSettings {
  title: string;
  stack?: RoleStack;
  tools: ToolVersion[];
  devcontainer: DevcontainerSettings;
}

export interface Guide {
  title: string;
  url: string;
}

export interface OnboardingSettings {
  /** Role id (what `onboard role=<id>` names) -> what it gets. */
  roles: Record<string, RoleSettings>;
  /** Org-wide docs every joiner gets on the welcome card. */
  guides: Guide[];
  /** Checklist texts every joiner gets (team-specific items are added to these). */
  checklist: string[];
  devopsAccessLevel: AccessLevel;
  /** Directory group names whose members may ask for anyone's onboarding. */
  requesterGroups: string[];
}

// Versions of the golden pipelines' tool installers (JavaToolInstaller 21, NodeTool 22.x, UsePythonVersion 3.12).
const JDK = '21';
const NODE = '22';
const PYTHON = '3.12';
const FEATURE = (name: string) => `ghcr.io/devcontainers/features/${name}:1`;
const COMMON_FEATURES = { [FEATURE('git')]: {}, [FEATURE('azure-cli')]: {} };
const COMMON_EXTENSIONS = ['ms-azure-devops.azure-pipelines', 'redhat.vscode-yaml', 'editorconfig.editorconfig'];

const nodeRole = (title: string, extra: string[]): RoleSettings => ({
  title,
  stack: 'node',
  tools: [{ name: 'Node.js', version: NODE }, { name: 'npm', version: 'bundled with Node.js 22' }, { name: 'Azure CLI', version: 'latest' }],
  devcontainer: {
    image: `mcr.microsoft.com/devcontainers/typescript-node:1-${NODE}-bookworm`,
    features: { ...COMMON_FEATURES },
    extensions: ['dbaeumer.vscode-eslint', 'esbenp.prettier-vscode', ...extra, ...COMMON_EXTENSIONS],
  },
});

export const DEFAULT_ONBOARDING_SETTINGS: OnboardingSettings = {
  roles: {
    'backend-java': {
      title: 'Backend engineer (Java)',
      stack: 'java',
      tools: [{ name: 'JDK', version: JDK }, { name: 'Maven', version: '3.9' }, { name: 'Azure CLI', version: 'latest' }],
      devcontainer: {
        image: `mcr.microsoft.com/devcontainers/java:1-${JDK}-bookworm`,
        features: { [FEATURE('java')]: { version: JDK, installMaven: true, mavenVersion: '3.9' }, ...COMMON_FEATURES },
        extensions: ['vscjava.vscode-java-pack', 'vmware.vscode-boot-dev-pack', ...COMMON_EXTENSIONS],
      },
    },
    'backend-node': nodeRole('Backend engineer (Node.js)', []),
    'frontend-node': nodeRole('Frontend engineer (Node.js)', ['bradlc.vscode-tailwindcss']),
    'data-python': {
      title: 'Data engineer (Python)',
      stack: 'python',
      tools: [{ name: 'Python', version: PYTHON }, { name: 'pip', version: 'bundled with Python 3.12' }, { name: 'Azure CLI', version: 'latest' }],
      devcontainer: {
        image: `mcr.microsoft.com/devcontainers/python:1-${PYTHON}-bookworm`,
        features: { ...COMMON_FEATURES },
        extensions: ['ms-python.python', 'ms-python.vscode-pylance', 'ms-toolsai.jupyter', ...COMMON_EXTENSIONS],
      },
    },
    sre: {
      title: 'Site reliability engineer',
      tools: [{ name: 'kubectl', version: 'latest' }, { name: 'Helm', version: 'latest' }, { name: 'Azure CLI', version: 'latest' }, { name: 'Python', version: PYTHON }],
      devcontainer: {
        image: 'mcr.microsoft.com/devcontainers/base:bookworm',
        features: { [FEATURE('kubectl-helm-minikube')]: { minikube: 'none' }, [FEATURE('python')]: { version: PYTHON }, ...COMMON_FEATURES },
        extensions: ['ms-kubernetes-tools.vscode-kubernetes-tools', 'ms-azuretools.vscode-bicep', ...COMMON_EXTENSIONS],
      },
    },
  },
  guides: [
    { title: 'Engineering handbook', url: 'https://dev.azure.com/contoso/Platform/_wiki/wikis/handbook' },
    { title: 'Golden paths: repositories and pipelines', url: 'https://dev.azure.com/contoso/Platform/_wiki/wikis/golden-paths' },
  ],
  checklist: [
    'Sign in to Teams and Azure DevOps and check you see your team',
    'Set up multi-factor authentication and your password manager',
    'Open the dev container and build one of your team\'s repositories',
    'Read the engineering handbook',
    'Meet your buddy and agree on a first task',
    'Open your first pull request',
  ],
  devopsAccessLevel: 'express',
  requesterGroups: ['people-ops', 'platform-engineers'],
};

const nonEmpty = z.string().trim().min(1);
const featureOptions = z.record(z.string(), z.union([z.string(), z.boolean()]));
const roleSchema = z.strictObject({
  title: nonEmpty.max(100),
  stack: z.enum(ROLE_STACKS).optional(),
  tools: z.array(z.strictObject({ name: nonEmpty.max(60), version: nonEmpty.max(60) })).max(30),
  devcontainer: z.strictObject({
    image: nonEmpty.max(300),
    features: z.record(nonEmpty, featureOptions).default({}),
    extensions: z.array(nonEmpty.max(200)).max(50).default([]),
    postCreateCommand: nonEmpty.max(2000).optional(),
  }),
});
const fileSchema = z.strictObject({
  roles: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'role ids are lower-case kebab-case'), roleSchema).refine((r) => Object.keys(r).length > 0, 'at least one role').optional(),
  guides: z.array(z.strictObject({ title: nonEmpty.max(200), url: z.url({ protocol: /^https?$/ }) })).max(30).optional(),
  checklist: z.array(nonEmpty.max(200)).max(30).optional(),
  devopsAccessLevel: z.enum(ACCESS_LEVELS).optional(),
  requesterGroups: z.array(nonEmpty.max(200)).max(50).optional(),
});

/**
 * The settings a YAML text describes, over the defaults. Throws DomainError
 * ONBOARDING.SETTINGS_INVALID naming the file and each bad field (`roles.sre.tools.0.version: ...`).
 */
export function parseOnboardingSettings(text: string, source: string): OnboardingSettings {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (e) {
    throw invalid(source, [`not YAML (${(e as Error).message.split('\n')[0]})`]);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw invalid(source, parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`));
  const defined = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_ONBOARDING_SETTINGS, ...defined } as OnboardingSettings;
}

function invalid(source: string, problems: string[]): DomainError {
  return new DomainError('ONBOARDING.SETTINGS_INVALID', `onboarding settings ${source}: ${problems.join('; ')}`, { file: source, problems });
}

/** The role's settings; DomainError ONBOARDING.UNKNOWN_ROLE lists the roles there are. */
export function roleOf(settings: OnboardingSettings, role: string): RoleSettings {
  const found = Object.hasOwn(settings.roles, role) ? settings.roles[role] : undefined;
  if (!found) throw new DomainError('ONBOARDING.UNKNOWN_ROLE', `no onboarding role ${role}`, { role, roles: Object.keys(settings.roles) });
  return found;
}
