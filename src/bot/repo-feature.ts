/**
 * "create repo" and "add pipeline", assembled from ports the composition root built: services,
 * job definitions, the job runner, dialogs, card actions and the progress notifier. main.ts news
 * the adapters and calls this; nothing here talks to an SDK.
 */
import type { Dialog } from 'botbuilder-dialogs';
import { AddPipelineDialog } from '../../dialogs/add-pipeline/add-pipeline.dialog';
import { CreateRepoDialog } from '../../dialogs/create-repo/create-repo.dialog';
import type { Config } from '../config';
import type { Directory } from '../domain/access/directory.port';
import { TeamAccessPolicy } from '../domain/access/team-access.policy';
import type { AuditLog } from '../domain/audit/audit.port';
import type { CatalogStore } from '../domain/catalog/catalog-store.port';
import { JobRunner } from '../domain/jobs/job-runner';
import type { JobStore } from '../domain/jobs/job-store.port';
import type { RunnerStartOptions } from '../domain/jobs/jobs.types';
import { addPipelineJob } from '../domain/repos/add-pipeline.job';
import { AddPipelineService } from '../domain/repos/add-pipeline.service';
import { CatalogRegistration } from '../domain/repos/catalog-registration';
import { createRepoJob } from '../domain/repos/create-repo.job';
import { CreateRepoService } from '../domain/repos/create-repo.service';
import { namingRulesFrom } from '../domain/repos/repo-naming';
import type { RepoRequestStore } from '../domain/repos/repo-request-store.port';
import type { RepoSettings } from '../domain/repos/repo-settings';
import type { RepositoryProvisioning } from '../domain/repos/repository-provisioning.port';
import type { SourceControl } from '../domain/repos/source-control.port';
import type { TeamSearch } from '../domain/repos/team-lookup';
import type { Logger } from '../logger';
import type { CardActionRouter } from './card-action-router';
import { progressCard, registerRepoCardActions } from './repo-card-actions';
import { RepoJobNotifier, type CardMessenger } from './repo-job-notifier';

export interface RepoFeaturePorts {
  sourceControl: SourceControl;
  provisioning: RepositoryProvisioning;
  /** Absent: membership comes from the catalog alone. */
  directory?: Directory;
  catalog: CatalogStore;
  /** This replica's catalog search index: refreshed after a registration, suggests team names. */
  catalogIndex?: TeamSearch & { refresh(): Promise<unknown> };
  jobStore: JobStore;
  requests: RepoRequestStore;
  audit: AuditLog;
}

export interface RepoFeature {
  createRepo: CreateRepoService;
  addPipeline: AddPipelineService;
  jobs: JobRunner;
  dialogs: Dialog[];
  registerCardActions(router: CardActionRouter): void;
  /** Runs jobs and updates their cards through `messenger` (needs the bot adapter, built later). */
  start(messenger: CardMessenger): void;
  stop(graceMs: number): Promise<void>;
  notifier?: RepoJobNotifier;
}

/** Leases are renewed every third; a crashed replica's job resumes elsewhere after at most this. */
const RUNNER: RunnerStartOptions = { pollIntervalMs: 2000, leaseMs: 30_000, concurrency: 8 };
const PREVIEW_TTL_MS = 7 * 24 * 3600_000;

export function repoSettingsFrom(config: Config, platformGroups: readonly string[]): RepoSettings {
  return {
    naming: namingRulesFrom({ pattern: config.REPO_NAME_PATTERN, maxLength: config.REPO_NAME_MAX_LENGTH, ...(config.REPO_RESERVED_NAMES ? { reserved: config.REPO_RESERVED_NAMES } : {}) }),
    minimumReviewers: config.REPO_MIN_REVIEWERS,
    defaultBranch: config.REPO_DEFAULT_BRANCH,
    orgUrl: config.AZURE_DEVOPS_ORG_URL!,
    projects: config.AZURE_DEVOPS_PROJECTS,
    registry: { name: config.PIPELINE_CONTAINER_REGISTRY, serviceConnection: config.PIPELINE_REGISTRY_CONNECTION },
    platformGroups,
    requestTtlMs: PREVIEW_TTL_MS,
  };
}

export function buildRepoFeature(settings: RepoSettings, ports: RepoFeaturePorts, options: { logger: Logger; stepAttempts: number }): RepoFeature {
  const { logger } = options;
  const jobs = new JobRunner({ store: ports.jobStore, logger, retry: { maxAttempts: options.stepAttempts, baseDelayMs: 1000, maxDelayMs: 15_000 } });
  const policy = new TeamAccessPolicy({ ...(ports.directory ? { directory: ports.directory } : {}), catalog: ports.catalog, platformGroups: settings.platformGroups });
  const registration = new CatalogRegistration({ store: ports.catalog, audit: ports.audit, sourceControl: ports.sourceControl, ...(ports.catalogIndex ? { index: ports.catalogIndex } : {}) });
  jobs.register(createRepoJob({ provisioning: ports.provisioning, registration, audit: ports.audit }));
  jobs.register(addPipelineJob({ provisioning: ports.provisioning, audit: ports.audit }));

  const createRepo = new CreateRepoService({
    settings,
    sourceControl: ports.sourceControl,
    catalog: ports.catalog,
    ...(ports.catalogIndex ? { teamSearch: ports.catalogIndex } : {}),
    policy,
    requests: ports.requests,
    jobs,
    audit: ports.audit,
  });
  const addPipeline = new AddPipelineService({ settings, sourceControl: ports.sourceControl, provisioning: ports.provisioning, catalog: ports.catalog, policy, jobs, audit: ports.audit });

  const feature: RepoFeature = {
    createRepo,
    addPipeline,
    jobs,
    dialogs: [new CreateRepoDialog(createRepo), new AddPipelineDialog(addPipeline)],
    registerCardActions: (router) => void registerRepoCardActions(router, { createRepo, addPipeline, logger }),
    start(messenger) {
      feature.notifier = new RepoJobNotifier(messenger, progressCard, logger);
      jobs.onProgress(feature.notifier.onProgress);
      jobs.start(RUNNER);
    },
    async stop(graceMs) {
      await jobs.stop({ graceMs });
      await feature.notifier?.idle();
    },
  };
  return feature;
}
