/**
 * Mounting a Key Vault secret in the service's pods: a pull request on the service's repository
 * that adds it to the environment's SecretProviderClass (created when missing), with what the
 * Deployment must reference in the description. Idempotent like the other pull requests the bot
 * opens: one branch per (service, environment, secret) and `ensure*` calls, so a retried job step,
 * a double click or a second request lands on the same branch, commit and pull request. Nothing is
 * opened when the default branch lists the secret already; a service without a repository gets
 * the manifest and what to do instead. No value is ever involved: only names.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../domain-error';
import type { RepositoryProvisioning } from '../repos/repository-provisioning.port';
import type { SourceControl } from '../repos/source-control.port';
import { addSecretToProviderClass, DEFAULT_MOUNT_PATH, mountSnippet, podSpecHint, secretProviderClassPath, validateMount, type SecretMount } from './secret-provider-class';

export interface MountSecretDeps {
  sourceControl: Pick<SourceControl, 'getRepository' | 'readFile'>;
  provisioning: Pick<RepositoryProvisioning, 'compareBranch' | 'ensureBranch' | 'ensureFiles' | 'ensurePullRequest'>;
  /** Where each environment's manifest lives in a repository; default deploy/<env>/secret-provider-class.yaml. */
  manifestPath?: (environment: string) => string;
  /** Where the files appear in the container (the hint's volumeMount); default /mnt/secrets-store. */
  mountPath?: string;
}

/** The service's repository, as the catalog names it. */
export interface MountRepository {
  project: string;
  repository: string;
}

export type MountOutcome =
  | { kind: 'pull-request'; repository: string; file: string; branch: string; pullRequestId: number; url: string; created: boolean; fileName: string }
  /** The default branch's manifest lists the secret: nothing to open. */
  | { kind: 'already-mounted'; repository: string; file: string; fileName: string }
  /** No repository known: the manifest, the Deployment fragment and the steps, for a person. */
  | { kind: 'by-hand'; file: string; manifest: string; podSpec: string; instructions: string[] };

/** One branch per service, environment and secret (Key Vault names are case-insensitive). */
export function mountBranch(mount: Pick<SecretMount, 'service' | 'environment' | 'objectName'>): string {
  const hash = createHash('sha256').update(`${mount.service}#${mount.environment}#${mount.objectName.toLowerCase()}`).digest('hex').slice(0, 10);
  return `idp/secrets/mount-${mount.service}-${mount.environment}-${hash}`;
}

export class SecretMounting {
  private readonly pathOf: (environment: string) => string;
  private readonly mountPath: string;

  constructor(private readonly deps: MountSecretDeps) {
    this.pathOf = deps.manifestPath ?? secretProviderClassPath;
    this.mountPath = deps.mountPath ?? DEFAULT_MOUNT_PATH;
  }

  /**
   * DomainError SECRETS.INVALID_MOUNT, SECRETS.MANIFEST_UNSAFE { file, reason, repository },
   * SECRETS.REPOSITORY_GONE { repository }, and the ports' REPOS.* / UPSTREAM.* failures.
   */
  async mount(where: MountRepository | null, mount: SecretMount, requestedBy?: string): Promise<MountOutcome> {
    validateMount(mount);
    if (!where) return { kind: 'by-hand', ...mountSnippet(mount, this.mountPath) };
    const name = `${where.project}/${where.repository}`;
    const file = this.pathOf(mount.environment);
    const repo = await this.deps.sourceControl.getRepository(where.project, where.repository);
    if (!repo?.defaultBranch) throw new DomainError('SECRETS.REPOSITORY_GONE', `${name} does not exist or has no commits`, { repository: name });
    const current = await this.deps.sourceControl.readFile(where.project, repo.name, file, repo.defaultBranch);
    let edit;
    try {
      edit = addSecretToProviderClass(current, mount, file);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'SECRETS.MANIFEST_UNSAFE') throw new DomainError(e.code, `${e.message} (in ${name})`, { ...e.details, repository: name });
      throw e;
    }
    if (edit.change === 'unchanged') return { kind: 'already-mounted', repository: name, file: file.replace(/^\//, ''), fileName: edit.fileName };

    const { provisioning } = this.deps;
    const branch = mountBranch(mount);
    // Read only: the default branch's head, where a new branch starts (an existing one stays where it is).
    const head = await provisioning.compareBranch(where.project, repo.id, repo.defaultBranch, []);
    if (!head) throw new DomainError('SECRETS.REPOSITORY_GONE', `${name} has no branch ${repo.defaultBranch}`, { repository: name });
    const made = await provisioning.ensureBranch(where.project, repo.id, branch, head.commitId);
    // A branch from an earlier call that lists the secret already (whatever the case of its name) gets no second commit.
    if (made.created || !(await this.listsOnBranch(where.project, repo.name, branch, file, mount)))
      await provisioning.ensureFiles(where.project, repo.id, branch, [{ path: file, content: edit.text }], `Mount the Key Vault secret ${mount.objectName} in ${mount.environment}`);
    const pr = await provisioning.ensurePullRequest(where.project, repo.id, {
      sourceBranch: branch,
      targetBranch: repo.defaultBranch,
      title: `Mount the secret ${mount.objectName} (${mount.environment})`,
      description: this.description(mount, file, edit.name, edit.change, edit.fileName, requestedBy),
    });
    return { kind: 'pull-request', repository: name, file: file.replace(/^\//, ''), branch, pullRequestId: pr.id, url: pr.url, created: pr.created, fileName: edit.fileName };
  }

  private async listsOnBranch(project: string, repository: string, branch: string, file: string, mount: SecretMount): Promise<boolean> {
    const text = await this.deps.sourceControl.readFile(project, repository, file, branch);
    try {
      return addSecretToProviderClass(text, mount, file).change === 'unchanged';
    } catch {
      return false; // edited on the branch into something unsafe: the edit of the default branch's file replaces it
    }
  }

  private description(mount: SecretMount, file: string, className: string, change: 'created' | 'added', fileName: string, requestedBy?: string): string {
    return [
      `${change === 'created' ? 'Creates' : 'Edits'} ${file.replace(/^\//, '')}: the SecretProviderClass ${className} now mounts the Key Vault secret ${mount.objectName} from the vault ${mount.keyvaultName} as the file ${this.mountPath}/${fileName}, read with the workload identity ${mount.clientID}.`,
      ``,
      `The Deployment of ${mount.service} in ${mount.environment} must reference it (if it does not yet): pods labelled azure.workload.identity/use: "true", running as the service account of that identity, with this volume and volumeMount:`,
      ``,
      '```yaml',
      podSpecHint(className, this.mountPath).trimEnd(),
      '```',
      ``,
      `The developer portal granted that identity "Key Vault Secrets User" (read secret contents) on the secret or its vault; the value is in Key Vault only, never in this repository.${requestedBy ? ` Requested by ${requestedBy} in Teams.` : ''}`,
    ].join('\n');
  }
}
