/**
 * The "create repo" / "add pipeline" domain wired on in-memory fakes: Azure DevOps seeded like the
 * sandbox, the demo directory, the seed catalog, a real JobRunner on the in-memory job store.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TeamAccessPolicy } from '../../src/domain/access/team-access.policy';
import { parseDescriptors } from '../../src/domain/catalog/descriptor-parser';
import { JobRunner } from '../../src/domain/jobs/job-runner';
import type { Job } from '../../src/domain/jobs/jobs.types';
import { addPipelineJob } from '../../src/domain/repos/add-pipeline.job';
import { AddPipelineService } from '../../src/domain/repos/add-pipeline.service';
import { CatalogImportService } from '../../src/domain/catalog/catalog-import.service';
import { CatalogRegistration } from '../../src/domain/repos/catalog-registration';
import { createRepoJob } from '../../src/domain/repos/create-repo.job';
import { CreateRepoService } from '../../src/domain/repos/create-repo.service';
import { DEFAULT_NAMING_RULES } from '../../src/domain/repos/repo-naming';
import type { RepoSettings } from '../../src/domain/repos/repo-settings';
import { DEMO_PROJECTS } from '../../src/sandbox/seed/demo-org';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { InMemoryDirectory } from '../fakes/in-memory-directory';
import { InMemoryJobStore } from '../fakes/in-memory-job-store';
import { InMemoryPipelineRequestStore, InMemoryRepoRequestStore } from '../fakes/in-memory-repo-request-store';
import { InMemoryAzureDevOps } from '../fakes/in-memory-repository-provisioning';

const SEED_CATALOG = path.join(__dirname, '../../src/sandbox/seed/catalog');

export const TEST_SETTINGS: RepoSettings = {
  naming: DEFAULT_NAMING_RULES,
  minimumReviewers: 2,
  defaultBranch: 'main',
  orgUrl: 'https://dev.azure.com/contoso',
  projects: [],
  registry: { serviceConnection: 'acr-connection', name: 'contoso.azurecr.io' },
  platformGroups: ['platform-engineers'],
  requestTtlMs: 24 * 3600_000,
};

export async function seedCatalog(store: InMemoryCatalogStore): Promise<void> {
  for (const file of readdirSync(SEED_CATALOG).filter((f) => f.endsWith('.yaml'))) {
    const location = `file:${path.join(SEED_CATALOG, file)}`;
    const parsed = await parseDescriptors(readFileSync(path.join(SEED_CATALOG, file), 'utf8'), location);
    await store.applyLocation(location, parsed.entities);
  }
}

export async function repoWorld(settings: Partial<RepoSettings> = {}) {
  const ado = new InMemoryAzureDevOps(DEMO_PROJECTS);
  const catalog = new InMemoryCatalogStore();
  await seedCatalog(catalog);
  const directory = InMemoryDirectory.fromDemoOrg();
  const audit = new InMemoryAuditLog();
  const requests = new InMemoryRepoRequestStore();
  const jobStore = new InMemoryJobStore();
  const runner = new JobRunner({ store: jobStore, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
  const all = { ...TEST_SETTINGS, ...settings };
  const policy = new TeamAccessPolicy({ directory, catalog, platformGroups: all.platformGroups });
  const registration = new CatalogRegistration({ store: catalog, importer: new CatalogImportService({ store: catalog, audit, sourceControl: ado }) });
  runner.register(createRepoJob({ provisioning: ado, registration, audit }));
  runner.register(addPipelineJob({ provisioning: ado, audit }));
  const createRepo = new CreateRepoService({ settings: all, sourceControl: ado, catalog, policy, requests, jobs: runner, audit });
  const addPipeline = new AddPipelineService({ settings: all, sourceControl: ado, provisioning: ado, catalog, policy, jobs: runner, requests: new InMemoryPipelineRequestStore(), audit });
  runner.start({ pollIntervalMs: 20, leaseMs: 2000, concurrency: 4 });

  /** Resolves when the job reaches a final state. */
  const settled = (jobId: string, timeoutMs = 5000): Promise<Job> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`job ${jobId} did not finish`)), timeoutMs);
      const check = async () => {
        const job = await runner.get(jobId);
        if (job && ['succeeded', 'failed', 'cancelled'].includes(job.status)) {
          clearTimeout(timer);
          off();
          resolve(job);
        }
      };
      const off = runner.onProgress((job) => void (job.id === jobId && check()));
      void check();
    });

  return { ado, catalog, directory, audit, requests, jobStore, runner, policy, createRepo, addPipeline, settled, stop: () => runner.stop({ graceMs: 1000 }) };
}
