/**
 * The JSON the real service returns for each resource, built from the stand-in's records. URLs
 * point back at the stand-in (`url` for the REST resource, `webUrl`/`remoteUrl` like Azure Repos).
 */
import { createHash } from 'node:crypto';
import type { CommitRecord, GitUserDate, PushRecord, TreeEntry } from './git-store';
import {
  STANDIN_USER,
  type AdoState,
  type BuildRecord,
  type DefinitionRecord,
  type PolicyRecord,
  type ProjectRecord,
  type PullRequestRecord,
  type RepoRecord,
} from './state';

export interface PolicyTypeInfo {
  id: string;
  displayName: string;
  description: string;
}

/** A GUID derived from a seed, for ids the service has but the stand-in does not store (teams, merge ids). */
export function stableGuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const enc = encodeURIComponent;

export class AdoShapes {
  constructor(
    private readonly state: AdoState,
    private readonly serverUrl: () => string,
  ) {}

  /** The collection URL clients are given, e.g. http://127.0.0.1:PORT/contoso. */
  get collectionUrl(): string {
    return `${this.serverUrl()}/${this.state.org}`;
  }

  identity(): Record<string, unknown> {
    return { ...this.identityOf(STANDIN_USER), descriptor: 'aad.c3RhbmRpbg' };
  }

  /** An IdentityRef (the stand-in's own user, or a person a test says opened a pull request). */
  identityOf(who: { id: string; displayName: string; uniqueName: string }): Record<string, unknown> {
    return {
      displayName: who.displayName,
      url: `${this.collectionUrl}/_apis/Identities/${who.id}`,
      _links: { avatar: { href: `${this.collectionUrl}/_apis/GraphProfile/MemberAvatars/${who.id === STANDIN_USER.id ? 'aad.standin' : `aad.${who.id}`}` } },
      id: who.id,
      uniqueName: who.uniqueName,
      imageUrl: `${this.collectionUrl}/_api/_common/identityImage?id=${who.id}`,
    };
  }

  projectRef(p: ProjectRecord): Record<string, unknown> {
    return {
      id: p.id,
      name: p.name,
      description: p.description,
      url: `${this.collectionUrl}/_apis/projects/${p.id}`,
      state: 'wellFormed',
      revision: 1,
      visibility: 'private',
      lastUpdateTime: p.lastUpdateTime,
    };
  }

  project(p: ProjectRecord, includeCapabilities: boolean): Record<string, unknown> {
    const teamId = stableGuid(`team:${p.id}`);
    return {
      ...this.projectRef(p),
      _links: {
        self: { href: `${this.collectionUrl}/_apis/projects/${p.id}` },
        collection: { href: `${this.collectionUrl}/_apis/projectCollections/${stableGuid(this.state.org)}` },
        web: { href: `${this.collectionUrl}/${enc(p.name)}` },
      },
      defaultTeam: { id: teamId, name: `${p.name} Team`, url: `${this.collectionUrl}/_apis/projects/${p.id}/teams/${teamId}` },
      ...(includeCapabilities
        ? {
            capabilities: {
              versioncontrol: { sourceControlType: 'Git', gitEnabled: 'true', tfvcEnabled: 'false' },
              processTemplate: { templateName: 'Agile', templateTypeId: 'adcc42ab-9882-485e-a3ed-7678f01f66bc' },
            },
          }
        : {}),
    };
  }

  repoUrl(r: RepoRecord): string {
    return `${this.collectionUrl}/${r.projectId}/_apis/git/repositories/${r.id}`;
  }

  repo(r: RepoRecord): Record<string, unknown> {
    const project = this.state.projectOf(r);
    const server = new URL(this.serverUrl());
    const webUrl = `${this.collectionUrl}/${enc(project.name)}/_git/${enc(r.name)}`;
    return {
      id: r.id,
      name: r.name,
      url: this.repoUrl(r),
      project: this.projectRef(project),
      ...(r.git.defaultBranch ? { defaultBranch: r.git.defaultBranch } : {}),
      size: r.git.size,
      remoteUrl: `${server.protocol}//${this.state.org}@${server.host}/${this.state.org}/${enc(project.name)}/_git/${enc(r.name)}`,
      sshUrl: `git@${server.hostname}:v3/${this.state.org}/${enc(project.name)}/${enc(r.name)}`,
      webUrl,
      isDisabled: false,
      isInMaintenance: false,
    };
  }

  item(r: RepoRecord, commit: CommitRecord, entry: TreeEntry, extra: { content?: string; metadata?: boolean } = {}): Record<string, unknown> {
    const fileName = entry.path.split('/').pop() ?? '';
    const dot = fileName.lastIndexOf('.');
    return {
      objectId: entry.objectId,
      gitObjectType: entry.isFolder ? 'tree' : 'blob',
      commitId: commit.commitId,
      path: entry.path,
      ...(entry.isFolder ? { isFolder: true } : {}),
      ...(extra.metadata && !entry.isFolder
        ? { contentMetadata: { encoding: 65001, contentType: 'text/plain', fileName, extension: dot > 0 ? fileName.slice(dot + 1) : '' } }
        : {}),
      ...(extra.content !== undefined ? { content: extra.content } : {}),
      url: `${this.repoUrl(r)}/items?path=${enc(entry.path)}&versionType=Branch&versionOptions=None`,
    };
  }

  ref(r: RepoRecord, name: string, objectId: string): Record<string, unknown> {
    return { name, objectId, creator: this.identity(), url: `${this.repoUrl(r)}/refs?filter=${enc(name.replace(/^refs\//, ''))}` };
  }

  commitRef(r: RepoRecord, c: CommitRecord): Record<string, unknown> {
    const count = (kind: string) => c.changes.filter((ch) => ch.changeType === kind).length;
    return {
      commitId: c.commitId,
      author: userDate(c.author),
      committer: userDate(c.committer),
      comment: c.comment,
      changeCounts: { Add: count('add'), Edit: count('edit'), Delete: count('delete') },
      url: `${this.repoUrl(r)}/commits/${c.commitId}`,
      remoteUrl: `${this.collectionUrl}/${enc(this.state.projectOf(r).name)}/_git/${enc(r.name)}/commit/${c.commitId}`,
    };
  }

  commit(r: RepoRecord, c: CommitRecord, pushDate?: string): Record<string, unknown> {
    return {
      ...this.commitRef(r, c),
      parents: c.parents,
      treeId: c.treeId,
      ...(c.pushId ? { push: { pushedBy: this.identity(), pushId: c.pushId, date: pushDate } } : {}),
      _links: { self: { href: `${this.repoUrl(r)}/commits/${c.commitId}` }, repository: { href: this.repoUrl(r) } },
    };
  }

  push(r: RepoRecord, p: PushRecord): Record<string, unknown> {
    return {
      commits: p.commitIds.map((id) => this.commitRef(r, r.git.commits.get(id)!)),
      refUpdates: p.refUpdates.map((u) => ({ repositoryId: r.id, ...u })),
      repository: this.repo(r),
      pushedBy: this.identity(),
      pushId: p.pushId,
      date: p.date,
      url: `${this.repoUrl(r)}/pushes/${p.pushId}`,
      _links: { self: { href: `${this.repoUrl(r)}/pushes/${p.pushId}` }, repository: { href: this.repoUrl(r) } },
    };
  }

  pullRequest(pr: PullRequestRecord): Record<string, unknown> {
    const r = this.state.repo(pr.repositoryId)!;
    const url = `${this.repoUrl(r)}/pullRequests/${pr.pullRequestId}`;
    return {
      repository: this.repo(r),
      pullRequestId: pr.pullRequestId,
      codeReviewId: pr.pullRequestId,
      status: pr.status,
      createdBy: pr.createdBy ? this.identityOf(pr.createdBy) : this.identity(),
      creationDate: pr.creationDate,
      ...(pr.closedDate ? { closedDate: pr.closedDate } : {}),
      ...(pr.closedBy ? { closedBy: this.identityOf(pr.closedBy) } : {}),
      title: pr.title,
      description: pr.description,
      sourceRefName: pr.sourceRefName,
      targetRefName: pr.targetRefName,
      mergeStatus: 'succeeded',
      isDraft: pr.isDraft,
      mergeId: stableGuid(`merge:${r.id}:${pr.pullRequestId}`),
      lastMergeSourceCommit: { commitId: pr.sourceCommitId, url: `${this.repoUrl(r)}/commits/${pr.sourceCommitId}` },
      lastMergeTargetCommit: { commitId: pr.targetCommitId, url: `${this.repoUrl(r)}/commits/${pr.targetCommitId}` },
      reviewers: pr.reviewers,
      url,
      supportsIterations: true,
      artifactId: `vstfs:///Git/PullRequestId/${r.projectId}%2f${r.id}%2f${pr.pullRequestId}`,
    };
  }

  policyType(projectId: string, t: PolicyTypeInfo): Record<string, unknown> {
    const url = `${this.collectionUrl}/${projectId}/_apis/policy/types/${t.id}`;
    return { description: t.description, _links: { self: { href: url } }, id: t.id, url, displayName: t.displayName };
  }

  policy(p: PolicyRecord, type: PolicyTypeInfo): Record<string, unknown> {
    const url = `${this.collectionUrl}/${p.projectId}/_apis/policy/configurations/${p.id}`;
    const typeUrl = `${this.collectionUrl}/${p.projectId}/_apis/policy/types/${type.id}`;
    return {
      createdBy: this.identity(),
      createdDate: p.createdDate,
      isEnabled: p.isEnabled,
      isBlocking: p.isBlocking,
      isDeleted: false,
      settings: p.settings,
      isEnterpriseManaged: false,
      _links: { self: { href: url }, policyType: { href: typeUrl } },
      revision: p.revision,
      id: p.id,
      url,
      type: { id: type.id, url: typeUrl, displayName: type.displayName },
    };
  }

  definitionRef(d: DefinitionRecord): Record<string, unknown> {
    const url = `${this.collectionUrl}/${d.projectId}/_apis/build/Definitions/${d.id}?revision=${d.revision}`;
    return {
      _links: { self: { href: url }, web: { href: `${this.collectionUrl}/${d.projectId}/_build/definition?definitionId=${d.id}` } },
      quality: 'definition',
      authoredBy: this.identity(),
      id: d.id,
      name: d.name,
      url,
      uri: `vstfs:///Build/Definition/${d.id}`,
      path: d.path,
      type: 'build',
      queueStatus: 'enabled',
      revision: d.revision,
      createdDate: d.createdDate,
      project: this.projectRef(this.state.projects.find((p) => p.id === d.projectId)!),
    };
  }

  definition(d: DefinitionRecord): Record<string, unknown> {
    const r = this.state.repo(d.repositoryId);
    return {
      ...this.definitionRef(d),
      process: { ...(d.yamlFilename ? { yamlFilename: d.yamlFilename } : {}), type: d.processType },
      repository: {
        properties: { cleanOptions: '0', labelSources: '0', reportBuildStatus: 'true' },
        id: d.repositoryId,
        type: 'TfsGit',
        name: r?.name,
        url: r ? (this.repo(r).remoteUrl as string) : undefined,
        defaultBranch: d.defaultBranch,
        clean: null,
        checkoutSubmodules: false,
      },
      triggers: [{ branchFilters: [], pathFilters: [], settingsSourceType: 2, batchChanges: false, maxConcurrentBuildsPerBranch: 1, triggerType: 'continuousIntegration' }],
      variables: d.variables,
      options: [],
      jobAuthorizationScope: 'projectCollection',
    };
  }

  build(b: BuildRecord): Record<string, unknown> {
    const d = this.state.definitions.find((x) => x.id === b.definitionId)!;
    const url = `${this.collectionUrl}/${b.projectId}/_apis/build/Builds/${b.id}`;
    return {
      _links: { self: { href: url }, web: { href: `${this.collectionUrl}/${b.projectId}/_build/results?buildId=${b.id}` } },
      id: b.id,
      buildNumber: b.buildNumber,
      status: b.status,
      queueTime: b.queueTime,
      url,
      definition: { ...this.definitionRef(d), _links: undefined, authoredBy: undefined },
      project: this.projectRef(this.state.projects.find((p) => p.id === b.projectId)!),
      uri: `vstfs:///Build/Build/${b.id}`,
      sourceBranch: b.sourceBranch,
      sourceVersion: b.sourceVersion,
      priority: 'normal',
      reason: b.reason,
      requestedFor: this.identity(),
      requestedBy: this.identity(),
      repository: { id: d.repositoryId, type: 'TfsGit' },
    };
  }
}

const userDate = (u: GitUserDate) => ({ name: u.name, email: u.email, date: u.date });
