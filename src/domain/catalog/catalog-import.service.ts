/**
 * Catalog ingestion: Backstage descriptors from files and folders (CATALOG_LOCATIONS, the CLI) and
 * from the root `catalog-info.yaml` of every repository of the configured Azure DevOps projects.
 * Idempotent (an unchanged source writes nothing), one bad file never stops the others, an invalid
 * entity is a problem with its file, name and reason, and an entity whose descriptor went away is
 * orphaned, never deleted. One audit record per location that changed.
 */
import type { AuditLog } from '../audit/audit.port';
import type { RepositoryInfo } from '../repos/repos.types';
import type { SourceControl } from '../repos/source-control.port';
import type { CatalogStore } from './catalog-store.port';
import type { ImportResult } from './catalog.types';
import { azureDevOpsLocation, azureDevOpsProjectPrefix, fileLocation, folderPrefix } from './catalog-locations';
import type { DescriptorSource } from './descriptor-source.port';
import { applyAndAudit, emptyResult, runImport, type ImportLimits, type ImportRunDeps, type LocationReader, type RunControl } from './import-run';
import { azureDevOpsReader, fileReader } from './location-readers';

export { IMPORT_ACTOR } from './import-run';

export interface CatalogImportDeps {
  store: CatalogStore;
  audit: AuditLog;
  /** Needed by importLocations. */
  descriptors?: DescriptorSource;
  /** Needed by importAzureDevOps. */
  sourceControl?: SourceControl;
}

export interface CatalogImportOptions {
  /** Azure DevOps files read at once. */
  concurrency?: number;
  /** Locations read and applied per store call (one read of their stored state). */
  chunkSize?: number;
  /** Parsed entities held in memory before they are written. */
  maxPendingEntities?: number;
}

export class CatalogImportService {
  private readonly run: ImportRunDeps;
  private readonly concurrency: number;
  private readonly limits: ImportLimits;

  constructor(
    private readonly deps: CatalogImportDeps,
    options: CatalogImportOptions = {},
  ) {
    this.run = { store: deps.store, audit: deps.audit };
    this.concurrency = options.concurrency ?? 8;
    this.limits = { chunkSize: options.chunkSize ?? 25, maxPendingEntities: options.maxPendingEntities ?? 10_000 };
  }

  /**
   * Each file is its own location (`file:<absolute path>`); a folder means every `*.yaml`/`*.yml`
   * under it, and a descriptor that disappeared from it has its entities orphaned. Location
   * entities are followed (targets relative to their file); a file no Location points to any more
   * (target removed, file deleted) has its entities orphaned, as in Backstage (see import-run).
   */
  async importLocations(paths: string[], control: RunControl = {}): Promise<ImportResult[]> {
    const descriptors = this.deps.descriptors;
    if (!descriptors) throw new Error('CatalogImportService.importLocations needs a DescriptorSource');
    const expanded = await descriptors.expand(paths);
    const missing = expanded.missing.map((m) => emptyResult(fileLocation(m.path), [{ location: fileLocation(m.path), reason: `cannot be read: ${m.reason}` }]));
    const { results, visited } = await runImport(this.run, fileReader(descriptors), expanded.files.map(fileLocation), this.limits, control);
    const gone = await this.orphanDisappeared(expanded.folders.map(folderPrefix), visited);
    return [...missing, ...results, ...gone];
  }

  /**
   * `catalog-info.yaml` at the root of every repository of these projects (location
   * `azure-devops:Project/repo`). A repository without one is left alone; one whose descriptor
   * (or the repository itself) went away has its entities orphaned.
   */
  async importAzureDevOps(projects: string[], control: RunControl = {}): Promise<ImportResult[]> {
    const sourceControl = this.deps.sourceControl;
    if (!sourceControl) throw new Error('CatalogImportService.importAzureDevOps needs a SourceControl');
    const repositories = new Map<string, RepositoryInfo>();
    const failed: ImportResult[] = [];
    const listed: string[] = [];
    for (const project of projects) {
      try {
        const repos = await sourceControl.listRepositories(project);
        listed.push(repos[0]?.project || project);
        for (const r of repos) repositories.set(azureDevOpsLocation(r.project || project, r.name), r);
      } catch (e) {
        const location = `azure-devops:${project}`;
        failed.push(emptyResult(location, [{ location, reason: `cannot list repositories: ${(e as Error).message}` }]));
      }
    }
    const reader = azureDevOpsReader(sourceControl, repositories, this.concurrency);
    const { results, visited } = await runImport(this.run, reader, [...repositories.keys()], this.limits, control);
    const gone = await this.orphanDisappeared(listed.map(azureDevOpsProjectPrefix), visited);
    return [...failed, ...results.filter((r) => r.created || r.updated || r.orphaned || r.unchanged || r.problems.length), ...gone];
  }

  /**
   * One repository's root descriptor whose text is already in hand (just committed, so no read
   * back): same location, repository hint and fingerprint as importAzureDevOps uses, so the next
   * periodic import finds it unchanged. Location entities it declares are read from Azure DevOps.
   */
  async importRepositoryDescriptor(repository: RepositoryInfo, text: string): Promise<ImportResult> {
    const sourceControl = this.deps.sourceControl;
    if (!sourceControl) throw new Error('CatalogImportService.importRepositoryDescriptor needs a SourceControl');
    const location = azureDevOpsLocation(repository.project, repository.name);
    const base = azureDevOpsReader(sourceControl, new Map([[location, repository]]), 1);
    const reader: LocationReader = {
      ...base,
      read: async (locations) => {
        const others = locations.filter((l) => l !== location);
        const rest = others.length ? await base.read(others) : [];
        return [...(locations.includes(location) ? [{ location, content: text }] : []), ...rest];
      },
    };
    const { results } = await runImport(this.run, reader, [location], { chunkSize: 1, maxPendingEntities: 1000 });
    return results.find((r) => r.location === location) ?? emptyResult(location, [{ location, reason: 'was not imported' }]);
  }

  /** Locations under these prefixes that hold entities but were not seen this time: their entities are orphaned. */
  private async orphanDisappeared(prefixes: string[], visited: Set<string>): Promise<ImportResult[]> {
    const known = (await Promise.all(prefixes.map((p) => this.deps.store.listLocations(p)))).flat();
    const gone = [...new Set(known)].filter((l) => !visited.has(l));
    return applyAndAudit(this.run, gone.map((location) => ({ location, entities: [] })));
  }

  /** Every configured source once: the files and folders, then the Azure DevOps projects. `control.signal` stops it between chunks. */
  async importSources(sources: { locations: readonly string[]; azureDevOpsProjects: readonly string[] }, control: RunControl = {}): Promise<ImportTotals> {
    const results = [
      ...(sources.locations.length ? await this.importLocations([...sources.locations], control) : []),
      ...(sources.azureDevOpsProjects.length ? await this.importAzureDevOps([...sources.azureDevOpsProjects], control) : []),
    ];
    const totals: ImportTotals = { locations: results.length, created: 0, updated: 0, orphaned: 0, problems: [] };
    for (const r of results) {
      totals.created += r.created;
      totals.updated += r.updated;
      totals.orphaned += r.orphaned;
      totals.problems.push(...r.problems);
    }
    return totals;
  }
}

export interface ImportTotals {
  locations: number;
  created: number;
  updated: number;
  orphaned: number;
  problems: ImportResult['problems'];
}
