/**
 * A joiner's dev environment: the role's tools and versions, the team's repositories to clone
 * (from the `source.repository` of the Components and Resources the team owns in the catalog) and
 * a devcontainer.json (containers.dev spec) that opens with those tools and clones them.
 */
import type { CatalogEntity } from '../catalog/catalog.types';
import type { RoleSettings, ToolVersion } from './onboarding-settings';

export interface CloneRepository {
  project: string;
  name: string;
  /** https clone URL (an Azure DevOps repository's web URL is also its clone URL). */
  cloneUrl: string;
  webUrl: string;
  /** Catalog refs of the entities that live there. */
  entities: string[];
}

/** The devcontainer.json this generates (a subset of the spec's properties). */
export interface DevcontainerJson {
  name: string;
  image: string;
  features: Record<string, Record<string, string | boolean>>;
  customizations: { vscode: { extensions: string[] } };
  postCreateCommand?: string;
}

export interface DevEnvironment {
  role: string;
  roleTitle: string;
  tools: ToolVersion[];
  repositories: CloneRepository[];
  devcontainer: DevcontainerJson;
}

export interface DevEnvironmentInput {
  roleId: string;
  role: RoleSettings;
  /** The team's Group entity. */
  team: CatalogEntity;
  /** Entities the team owns (others are ignored). */
  owned: CatalogEntity[];
  /** `https://dev.azure.com/<org>`: builds the URL of a repository the catalog gives no URL for. */
  devopsBaseUrl?: string;
}

const REPOSITORY_KINDS = new Set(['Component', 'Resource']);
/** What a URL may hold to be quoted safely in the generated shell command. */
const SAFE_URL = /^https?:\/\/[A-Za-z0-9._~:/?#@!$&()*+,;=%-]+$/;
const SAFE_DIR = /[^A-Za-z0-9._-]+/g;

export function devEnvironment(input: DevEnvironmentInput): DevEnvironment {
  const repositories = repositoriesOf(input.team, input.owned, input.devopsBaseUrl);
  const { devcontainer } = input.role;
  const clone = cloneCommand(repositories);
  const postCreate = [clone, devcontainer.postCreateCommand].filter(Boolean).join(' && ');
  const teamName = input.team.profile?.displayName ?? input.team.title ?? input.team.name;
  return {
    role: input.roleId,
    roleTitle: input.role.title,
    tools: input.role.tools.map((t) => ({ ...t })),
    repositories,
    devcontainer: {
      name: `${teamName}: ${input.role.title}`,
      image: devcontainer.image,
      features: structuredClone(devcontainer.features),
      customizations: { vscode: { extensions: [...new Set(devcontainer.extensions)] } },
      ...(postCreate ? { postCreateCommand: postCreate } : {}),
    },
  };
}

/** The team's repositories, one per project/name (case-insensitive), sorted; those with no usable URL are left out. */
export function repositoriesOf(team: CatalogEntity, owned: CatalogEntity[], devopsBaseUrl?: string): CloneRepository[] {
  const byKey = new Map<string, CloneRepository>();
  for (const e of owned) {
    const repo = e.source.repository;
    if (!repo || e.status !== 'active' || !REPOSITORY_KINDS.has(e.kind) || e.owner?.toLowerCase() !== team.ref.toLowerCase()) continue;
    const key = `${repo.project}/${repo.name}`.toLowerCase();
    const known = byKey.get(key);
    if (known) {
      known.entities = [...new Set([...known.entities, e.ref])].sort();
      continue;
    }
    const url = repo.url ?? (devopsBaseUrl ? `${devopsBaseUrl.replace(/\/+$/, '')}/${encodeURIComponent(repo.project)}/_git/${encodeURIComponent(repo.name)}` : undefined);
    if (!url || !SAFE_URL.test(url)) continue;
    byKey.set(key, { project: repo.project, name: repo.name, cloneUrl: url, webUrl: url, entities: [e.ref] });
  }
  return [...byKey.values()].sort((a, b) => a.project.localeCompare(b.project) || a.name.localeCompare(b.name));
}

/**
 * Clones each repository next to the workspace (/workspaces/<name>) unless it is there already:
 * opened from one of them, that one is the workspace and is skipped; re-running changes nothing.
 */
function cloneCommand(repositories: CloneRepository[]): string {
  const dirs = new Set<string>();
  return repositories
    .map((r) => {
      let dir = r.name.replace(SAFE_DIR, '-') || 'repository';
      if (dirs.has(dir)) dir = `${r.project.replace(SAFE_DIR, '-')}-${dir}`;
      dirs.add(dir);
      return `(test -d /workspaces/${dir}/.git || git clone '${r.cloneUrl}' /workspaces/${dir})`;
    })
    .join(' && ');
}

/** The file as it is committed or downloaded: two-space JSON with a final newline. */
export const devcontainerText = (json: DevcontainerJson): string => `${JSON.stringify(json, null, 2)}\n`;
