/**
 * Registers a repository's root catalog-info.yaml in the catalog, as the location the periodic
 * Azure DevOps import uses (`azure-devops:<Project>/<repo>`), so the next import finds it unchanged
 * (same text, same repository hint, same fingerprint). The text is the one just committed: no read
 * back from Azure DevOps. Then this replica's search index is refreshed, so "who owns <repo>"
 * answers at once here; other replicas catch up at their next index poll.
 */
import type { CatalogImportService } from '../catalog/catalog-import.service';
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { ImportProblem } from '../catalog/catalog.types';
import { DomainError } from '../domain-error';
import type { RepositoryInfo } from './repos.types';

export interface CatalogRegistrationDeps {
  store: CatalogStore;
  /** The catalog import, with the source control that reads what a descriptor's Location entities point to. */
  importer: Pick<CatalogImportService, 'importRepositoryDescriptor'>;
  /** The in-memory index of this replica; absent when the bot runs without one. */
  index?: { refresh(): Promise<unknown> };
}

export interface Registration {
  location: string;
  created: number;
  updated: number;
  unchanged: number;
  /** E.g. the component is already declared by another location: it is in the catalog, but not from here. */
  problems: ImportProblem[];
}

export class CatalogRegistration {
  constructor(private readonly deps: CatalogRegistrationDeps) {}

  async register(repository: Pick<RepositoryInfo, 'project' | 'name' | 'webUrl' | 'id' | 'remoteUrl'>, descriptor: string): Promise<Registration> {
    const mine = await this.deps.importer.importRepositoryDescriptor({ ...repository }, descriptor);
    const location = mine.location;
    // Taken by another location (a conflict) still leaves the component in the catalog: not a failure.
    const taken = mine.created + mine.updated + mine.unchanged > 0 || (await this.deps.store.get(`component:default/${repository.name}`.toLowerCase()))?.status === 'active';
    if (!taken) {
      throw new DomainError('CATALOG.REGISTRATION_FAILED', `The catalog refused catalog-info.yaml of ${repository.project}/${repository.name}: ${mine.problems.map((p) => p.reason).join('; ')}`, { location });
    }
    // The entity is stored: a failed refresh only delays "who owns" here until the next index poll.
    await this.deps.index?.refresh().catch(() => undefined);
    return { location, created: mine.created, updated: mine.updated, unchanged: mine.unchanged, problems: mine.problems };
  }
}
