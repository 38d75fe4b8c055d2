/**
 * Composition root: load config, build adapters, services and the features (each flow's chat
 * edge), then the bot and the server; start the background work; listen. The only place that
 * calls `new` on adapters and services. `startBot` is also what the test harness runs.
 */
import { ConversationState } from 'botbuilder';
import { readFileSync } from 'node:fs';
import type { Connection } from 'mongoose';
import type { DestinationStream } from 'pino';
import { addPipelineFeature } from '../dialogs/add-pipeline/add-pipeline.feature';
import { catalogDigestFeature, digestPublisher } from '../dialogs/catalog-digest/catalog-digest.feature';
import { catalogFeature } from '../dialogs/catalog/catalog.feature';
import { catalogHealthFeature } from '../dialogs/catalog-health/catalog-health.feature';
import { ApprovalChatNotifier, approvalCard, approvalsFeature, progressOf, refreshIdsOf, type ApprovalJobLink } from '../dialogs/approvals/approvals.feature';
import { OnboardingChatNotifier, offboardingJobPresentation, onboardingFeature, onboardingJobPresentation } from '../dialogs/onboarding/onboarding.feature';
import { createSecretJobPresentation, enterValueCard, secretsFeature } from '../dialogs/secrets/secrets.feature';
import { expiryReminderPublisher, secretExpiryFeature } from '../dialogs/secrets/secret-expiry.feature';
import { MongoExpiryReminderStore } from './adapters/mongo/mongo-expiry-reminder-store.adapter';
import { secretExpirySchedule } from './domain/secrets/expiry-schedule';
import { expiryVaults } from './domain/secrets/expiry-vaults';
import { SecretExpiryService } from './domain/secrets/secret-expiry.service';
import { ArmRoleAssignments } from './adapters/arm/arm-role-assignments.adapter';
import { GraphWorkloadIdentities } from './adapters/graph/graph-workload-identities.adapter';
import { KeyVaultSecretStore } from './adapters/key-vault/key-vault-secret-store.adapter';
import { createSecretJob, CREATE_SECRET_JOB, mountWith } from './domain/secrets/create-secret.job';
import { CreateSecretService, secretTags, type ServiceFinder } from './domain/secrets/create-secret.service';
import { SecretMounting } from './domain/secrets/mount-secret';
import { vaultNamesFrom } from './domain/secrets/secret-vaults';
import { SECRET_FLOW } from './domain/secrets/secrets.types';
import { vaultLayoutOf } from './domain/secrets/vault-layout';
import { rotateSecretJobPresentation, secretLifecycleFeature } from '../dialogs/secrets/secret-lifecycle.feature';
import { MongoPendingDisableStore } from './adapters/mongo/mongo-pending-disable-store.adapter';
import { rotateSecretJob, ROTATE_SECRET_JOB } from './domain/secrets/rotate-secret.job';
import { rotationGraceSchedule } from './domain/secrets/rotation-grace.schedule';
import { SecretLifecycleService, SECRET_ROTATION_FLOW } from './domain/secrets/secret-lifecycle.service';
import { ENVIRONMENTS } from './domain/pipelines/pipelines.types';
import { jobProgressCard } from '../dialogs/common/job-progress.views';
import { AzureDevOpsUserAccess } from './adapters/azure-devops/azure-devops-user-access.adapter';
import { GraphAppInstallation } from './adapters/graph/graph-app-installation.adapter';
import { GraphWorkspaceMemberships } from './adapters/graph/graph-workspace-memberships.adapter';
import { MongoOnboardingStore } from './adapters/mongo/mongo-onboarding-store.adapter';
import { PersonalChats } from './bot/personal-chat';
import type { ApprovalRequest } from './domain/approvals/approval.types';
import type { AdaptiveCard } from '../cards/render';
import type { ApprovalFollowUp } from './domain/approvals/approval.service';
import { ChecklistService } from './domain/onboarding/checklist.service';
import { DevcontainerPrService } from './domain/onboarding/devcontainer-pr.service';
import { OffboardingService } from './domain/onboarding/offboarding.service';
import { offboardingJob } from './domain/onboarding/offboarding.job';
import { DEFAULT_ONBOARDING_SETTINGS, parseOnboardingSettings } from './domain/onboarding/onboarding-settings';
import { OnboardingProvisioningService } from './domain/onboarding/onboarding-provisioning.service';
import { OnboardingRequestService, type TeamFinder } from './domain/onboarding/onboarding-request.service';
import { onboardingJob } from './domain/onboarding/onboarding.job';
import { OFFBOARD_FLOW, ONBOARD_FLOW } from './domain/onboarding/onboarding.types';
import { teamEntries, welcomePackFor } from './domain/onboarding/welcome-pack';
import { teamRef, teamSuggestions } from './domain/repos/team-lookup';
import { devcontainerDownloadUrl, registerDevcontainerDownload } from './http/devcontainer-download.routes';
import { MongoApprovalStore } from './adapters/mongo/mongo-approval-store.adapter';
import { ApprovalService } from './domain/approvals/approval.service';
import { approvalSweepSchedule } from './domain/approvals/approval-schedule';
import { DirectoryApproverResolver } from './domain/approvals/directory-approver-resolver';
import { createRepoFeature } from '../dialogs/create-repo/create-repo.feature';
import { feedbackFeature } from '../dialogs/feedback/feedback.feature';
import { jobCards } from '../dialogs/common/job-progress.views';
import { jobsFeature } from '../dialogs/common/jobs.feature';
import { AzureDevOpsConnection } from './adapters/azure-devops/azure-devops-connection';
import { AzureDevOpsPipelineVariables } from './adapters/azure-devops/azure-devops-pipeline-variables.adapter';
import { PipelineSecretLinking } from './domain/secrets/link-pipeline-secret';
import { PipelineVariablesService } from './domain/secrets/pipeline-variables.service';
import type { SecretPlan } from './domain/secrets/secrets.types';
import { pipelineVariablesFeature } from '../dialogs/secrets/pipeline-variables.feature';
import { AzureDevOpsRepositoryProvisioning } from './adapters/azure-devops/azure-devops-provisioning.adapter';
import { AzureDevOpsSourceControl } from './adapters/azure-devops/azure-devops-source-control.adapter';
import { createAzureCredential } from './adapters/azure-identity/azure-credential';
import { FileDescriptorSource } from './adapters/files/file-descriptor-source.adapter';
import { GraphDirectory } from './adapters/graph/graph-directory.adapter';
import { MongoAuditLog } from './adapters/mongo/mongo-audit-log.adapter';
import { MongoBotStorage } from './adapters/mongo/mongo-bot-storage.adapter';
import { MongoCatalogStore } from './adapters/mongo/mongo-catalog-store.adapter';
import { connectMongo, isConnected } from './adapters/mongo/mongo-connection';
import { MongoConversationDirectory } from './adapters/mongo/mongo-conversation-directory.adapter';
import { MongoDigestDeliveryStore } from './adapters/mongo/mongo-digest-delivery-store.adapter';
import { MongoFeedbackStore } from './adapters/mongo/mongo-feedback-store.adapter';
import { MongoFixRecordStore } from './adapters/mongo/mongo-fix-record-store.adapter';
import { MongoHealthRunStore } from './adapters/mongo/mongo-health-run-store.adapter';
import { MongoHealthWaiverStore } from './adapters/mongo/mongo-health-waiver-store.adapter';
import { MongoIndexSnapshotStore } from './adapters/mongo/mongo-index-snapshot-store.adapter';
import { InMemoryCatalogSearch } from './adapters/catalog-index/in-memory-catalog-search';
import { MongoJobStore } from './adapters/mongo/mongo-job-store.adapter';
import { MongoPipelineRequestStore } from './adapters/mongo/mongo-pipeline-request-store.adapter';
import { MongoRepoRequestStore } from './adapters/mongo/mongo-repo-request-store.adapter';
import { assertStoreMigrated } from './adapters/mongo/store-migration';
import { createBotAdapter, type BotHttpAdapter } from './bot/bot-adapter';
import { ConversationRecorder } from './bot/conversation-recorder';
import type { Feature } from './bot/feature';
import { DEFAULT_TRUSTED_CHANNELS, type TurnActor } from './bot/identity';
import { IdpBot } from './bot/idp-bot';
import { JobPresentations } from './bot/job-presentation';
import { JobProgressNotifier } from './bot/job-progress-notifier';
import { ProactiveMessenger } from './bot/proactive-messenger';
import { ConfigError, loadConfig, withOverrides, type Config } from './config';
import { TeamAccessPolicy } from './domain/access/team-access.policy';
import { CatalogFactsService } from './domain/catalog/catalog-facts.service';
import { CatalogHealthService } from './domain/catalog-health/catalog-health.service';
import type { HealthRun } from './domain/catalog-health/health.types';
import { ruleInfo } from './domain/catalog-health/health-rules';
import { CatalogHealthReports } from './domain/catalog-health/health-reports';
import { catalogHealthSchedule, HEALTH_SCHEDULE_NAME, nextSlotStart } from './domain/catalog-health/health-schedule';
import { CatalogImportService } from './domain/catalog/catalog-import.service';
import { CatalogQueryService } from './domain/catalog/catalog-query.service';
import { CatalogSyncService } from './domain/catalog/catalog-sync.service';
import { CatalogDigestService, type DigestTotals } from './domain/catalog-digest/digest.service';
import { DigestRecipientResolver } from './domain/catalog-digest/digest-recipients';
import { weeklySlot } from './domain/catalog-digest/digest-schedule';
import { HealthActionsService } from './domain/catalog-digest/health-actions.service';
import type { HealthRunStore } from './domain/catalog-health/health-run-store.port';
import type { HealthWaiverStore } from './domain/catalog-health/health-waiver-store.port';
import { FeedbackService } from './domain/feedback/feedback.service';
import { JOB_LEASE_MS, JobRunner } from './domain/jobs/job-runner';
import { occurrenceKey, Scheduler, type ScheduledWork } from './domain/jobs/scheduler';
import { welcomeRetrySchedule } from './domain/onboarding/welcome-retry-schedule';
import type { RunnerStartOptions } from './domain/jobs/jobs.types';
import { addPipelineJob } from './domain/repos/add-pipeline.job';
import { AddPipelineService } from './domain/repos/add-pipeline.service';
import { CatalogRegistration } from './domain/repos/catalog-registration';
import { createRepoJob } from './domain/repos/create-repo.job';
import { CreateRepoService } from './domain/repos/create-repo.service';
import { namingRulesFrom } from './domain/repos/repo-naming';
import type { RepoSettings } from './domain/repos/repo-settings';
import { registerCatalogWebhooks } from './http/catalog-webhook.routes';
import { registerMetricsRoute } from './http/metrics.routes';
import { requestTimingPolicy } from './adapters/azure-core/request-timing-policy';
import { PrometheusInstruments } from './adapters/prometheus/prometheus-instruments.adapter';
import { upstreamRecorder, type Instruments, type UpstreamService } from './domain/metrics/instruments.port';
import { platformMetricsFeature } from '../dialogs/platform-metrics/platform-metrics.feature';
import { AzureDevOpsRepositoryActivity } from './adapters/azure-devops/azure-devops-repository-activity.adapter';
import { MongoPlatformHistory } from './adapters/mongo/mongo-platform-history.adapter';
import { PlatformAccessPolicy } from './domain/access/platform-access.policy';
import { PlatformMetricsService } from './domain/platform-metrics/platform-metrics.service';
import { registerPlatformMetricsRoute } from './http/platform-metrics.routes';
import { createLogger, type Logger } from './logger';
import { startSandbox, type Sandbox } from './sandbox/sandbox';
import { registerPlaygroundRoutes } from './sandbox/playground/playground.routes';
import { createServer, type BotServer } from './server';

export interface RunningBot {
  url: string;
  config: Config;
  sandbox?: Sandbox;
  logger: Logger;
  connection: Connection;
  server: BotServer;
  adapter: BotHttpAdapter;
  /** This bot's metrics (its own registry; GET /metrics serves the same text). */
  metrics: PrometheusInstruments;
  /** The durable job runner (create repo, add pipeline, ...). */
  jobs: JobRunner;
  catalog: {
    /** Applies store changes to this replica's index now, instead of at the next poll. */
    refreshIndex(): Promise<void>;
    /** One import of every configured source, now. */
    importAll(): Promise<void>;
  };
  health: {
    /** One catalog health run now (stored like a scheduled one, under `id`). */
    runNow(id?: string): Promise<HealthRun>;
  };
  /** The health runs and waivers the digest reads (the health run service writes runs). */
  catalogHealth: { runs: HealthRunStore; waivers: HealthWaiverStore };
  /** One occurrence of the weekly digest, now (the scheduler runs `catalog-digest:<slot>` on its day). */
  catalogDigest: { runOccurrence(occurrence: string): Promise<DigestTotals> };
  /** Approvals every flow asks through (undefined without a directory: nobody could be resolved as approver). */
  approvals?: ApprovalService;
  /** The current slot's occurrence of a scheduled work (`approval-sweep`, `onboarding-welcome-retry`...), now, once across replicas. */
  runScheduled(name: string): Promise<void>;
  /** Graceful stop: drain turns, close the store, stop the sandbox. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where logs go (tests capture them); default stdout. */
  logDestination?: DestinationStream;
}

/** Leases are renewed every third; a crashed replica's job resumes elsewhere after at most JOB_LEASE_MS. */
const RUNNER: RunnerStartOptions = { pollIntervalMs: 2000, leaseMs: JOB_LEASE_MS, concurrency: 8 };
const PREVIEW_TTL_MS = 7 * 24 * 3600_000;
const DIGEST_SCHEDULE = 'catalog-digest';
/** Azure DevOps' own hosts: repository and pipeline links from descriptors point there. */
const AZURE_DEVOPS_HOSTS = ['dev.azure.com', 'visualstudio.com'];
const hostOf = (url: string | undefined): string[] => (url ? [new URL(url).hostname] : []);

export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const startedAt = Date.now();
  const logger = createLogger(config.LOG_LEVEL, options.logDestination);
  // One registry per bot: several bots in one test process keep their numbers apart.
  const instruments = new PrometheusInstruments();
  const timing = (service: UpstreamService) => upstreamRecorder(instruments, service);

  const sandbox = config.mode === 'sandbox' ? await startSandbox({ dataDir: config.dataDir, mongoUri: config.MONGODB_URI }) : undefined;
  const effective: Config = sandbox ? withOverrides(config, sandbox.configOverlay) : config;
  const mongoUri = effective.MONGODB_URI;
  if (!mongoUri) throw new ConfigError(['MONGODB_URI: required outside sandbox mode']);

  let connection: Connection | undefined;
  let jobs: JobRunner | undefined;
  let directory: GraphDirectory | undefined;
  let graph: GraphAdapters | undefined;
  let scheduler: Scheduler | undefined;
  let catalogSync: CatalogSyncService | undefined;
  try {
    // Production builds no index at start (Cosmos DB cannot add a unique one to a collection with
    // data): `npm run db:migrate` creates them first, and a store without them stops the start.
    const production = effective.mode === 'production';
    connection = await connectMongo(mongoUri, effective.MONGODB_DB, { autoIndex: !production });
    if (production) await assertStoreMigrated(connection);

    // Adapters
    const storage = new MongoBotStorage(connection);
    const audit = new MongoAuditLog(connection);
    const conversations = new MongoConversationDirectory(connection);
    const catalogStore = new MongoCatalogStore(connection);
    // One Azure DevOps connection (discovery, sockets, retry policy) for the read and write adapters.
    const devOps = effective.AZURE_DEVOPS_ORG_URL && effective.AZURE_DEVOPS_PAT ? new AzureDevOpsConnection({ orgUrl: effective.AZURE_DEVOPS_ORG_URL, token: effective.AZURE_DEVOPS_PAT, onRequest: timing('azure-devops') }) : undefined;
    void devOps?.warmUp();
    const sourceControl = devOps ? new AzureDevOpsSourceControl(devOps) : undefined;
    const provisioning = devOps ? new AzureDevOpsRepositoryProvisioning(devOps) : undefined;
    graph = graphAdapters(effective, instruments);
    directory = graph?.directory;
    // Large pages: the embedded store scans the collection once per page (no indexes there).
    const catalogIndex = new InMemoryCatalogSearch(catalogStore, { logger, pageSize: 5000, snapshots: new MongoIndexSnapshotStore(connection), collectGarbage });

    // Services
    const catalogImport = new CatalogImportService({ store: catalogStore, audit, descriptors: new FileDescriptorSource(), ...(sourceControl ? { sourceControl } : {}) });
    const catalogFacts = new CatalogFactsService(catalogStore, audit, { factKinds: effective.CATALOG_FACT_KINDS });
    const catalogQuery = new CatalogQueryService({ index: catalogIndex });
    const feedback = new FeedbackService(new MongoFeedbackStore(connection), audit);
    const jobStore = new MongoJobStore(connection);
    jobs = new JobRunner({ store: jobStore, logger, instruments, retry: { maxAttempts: effective.REPO_JOB_STEP_ATTEMPTS, baseDelayMs: 1000, maxDelayMs: 15_000 } });

    // Catalog health: a run per HEALTH_RUN_EVERY_HOURS on one replica (scheduled below); `catalog health` reads the stored runs.
    const healthRuns = new MongoHealthRunStore(connection);
    const healthWaivers = new MongoHealthWaiverStore(connection);
    const healthEveryMs = Math.max(60_000, Math.round(effective.HEALTH_RUN_EVERY_HOURS * 3600_000));
    const nextHealthRun = () => nextSlotStart(new Date(), healthEveryMs);
    const catalogHealth = new CatalogHealthService({
      catalog: catalogStore,
      runs: healthRuns,
      waivers: healthWaivers,
      ...(directory ? { directory } : {}),
      ...(sourceControl ? { sourceControl } : {}),
      audit,
      settings: {
        disabledRules: effective.HEALTH_RULES_DISABLED,
        descriptorStaleMonths: effective.HEALTH_DESCRIPTOR_STALE_MONTHS,
        deploymentStaleDays: effective.HEALTH_DEPLOYMENT_STALE_DAYS,
        projects: sourceControl ? effective.AZURE_DEVOPS_PROJECTS : [],
        concurrency: effective.HEALTH_CONCURRENCY,
      },
    });
    const healthWork = catalogHealthSchedule(catalogHealth, { everyMs: healthEveryMs, keep: effective.HEALTH_RUNS_KEPT, onRun: (s) => logger.info({ ...s.lastLog }, 'catalog health run stored') });
    const healthFeature = catalogHealthFeature({ reports: new CatalogHealthReports(healthRuns, nextHealthRun), nextRunAt: nextHealthRun });

    // Features: each flow's chat edge, in the order their commands are matched.
    const linkHosts = [...AZURE_DEVOPS_HOSTS, ...hostOf(effective.AZURE_DEVOPS_ORG_URL), ...(effective.LINK_HOSTS.length ? effective.LINK_HOSTS : (sandbox?.linkHosts ?? []))];
    const features: Feature[] = [healthFeature, catalogFeature({ query: catalogQuery, revision: () => catalogIndex.revision, linkHosts }), feedbackFeature(feedback)];
    const platformGroups = effective.PLATFORM_GROUPS.length ? effective.PLATFORM_GROUPS : (sandbox?.platformGroups ?? []);
    /** Who may act for a team: its members and the platform groups. */
    const teamPolicy = new TeamAccessPolicy({ ...(directory ? { directory } : {}), catalog: catalogStore, platformGroups });
    const adapter = createBotAdapter(effective, logger, requestTimingPolicy(timing('bot-connector')));
    const messenger = new ProactiveMessenger(adapter, effective.MicrosoftAppId ?? '');

    // Catalog digest: the weekly card to each owning team, and its Fix / Snooze / Not applicable buttons.
    const digestFixes = new MongoFixRecordStore(connection);
    const catalogDigest = new CatalogDigestService({
      runs: healthRuns,
      waivers: healthWaivers,
      catalog: catalogStore,
      recipients: new DigestRecipientResolver({ catalog: catalogStore, conversations }),
      deliveries: new MongoDigestDeliveryStore(connection),
      fixes: digestFixes,
      publisher: digestPublisher(messenger, linkHosts),
      rules: ruleInfo,
      settings: { maxPerRule: effective.DIGEST_MAX_PER_RULE, allGood: effective.DIGEST_ALL_GOOD },
      logger,
    });
    const healthActions = new HealthActionsService({
      catalog: catalogStore,
      policy: teamPolicy,
      runs: healthRuns,
      waivers: healthWaivers,
      fixes: digestFixes,
      audit,
      rules: ruleInfo,
      ...(sourceControl && provisioning ? { sourceControl, provisioning } : {}),
      linkHosts,
    });
    features.push(catalogDigestFeature({ digest: catalogDigest, actions: healthActions, rules: ruleInfo, linkHosts }));

    // Platform metrics: `platform metrics` (platform groups only) and GET /api/platform/metrics (PLATFORM_METRICS_TOKEN), one computation.
    const platformMetrics = new PlatformMetricsService({ history: new MongoPlatformHistory(connection), healthRuns, ...(devOps ? { repositories: new AzureDevOpsRepositoryActivity(devOps) } : {}) });
    features.push(platformMetricsFeature({ metrics: platformMetrics, access: new PlatformAccessPolicy({ ...(directory ? { directory } : {}), platformGroups }) }));

    // The bot's 1:1 chat with anyone: recorded, or opened by installing its app for them through Graph.
    const chats = new PersonalChats({
      conversations,
      ...(graph ? { installation: graph.installation } : {}),
      serviceUrl: effective.TEAMS_SERVICE_URL,
      tenantId: effective.AZURE_TENANT_ID ?? '',
      botAppId: effective.MicrosoftAppId ?? effective.AZURE_CLIENT_ID ?? '',
      botName: 'IDP bot',
    });

    // Approvals: approvers found in the directory and the catalog; cards and outcomes through their 1:1 chats.
    const followUps: Record<string, ApprovalFollowUp> = {};
    const approvals = directory
      ? new ApprovalService({
          store: new MongoApprovalStore(connection),
          resolver: new DirectoryApproverResolver({ directory, catalog: catalogStore }),
          audit,
          notifier: new ApprovalChatNotifier({ messenger, conversations, opener: chats, onDelivery: (d) => (d.skipped ? logger.warn(d, 'approval notice: people who could not be reached skipped') : logger.info(d, 'approval notice sent')) }),
          timings: { remindAfterMs: effective.APPROVAL_REMIND_AFTER_HOURS > 0 ? Math.round(effective.APPROVAL_REMIND_AFTER_HOURS * 3600_000) : null, expireAfterMs: Math.round(effective.APPROVAL_EXPIRE_AFTER_DAYS * 24 * 3600_000) },
          followUps,
        })
      : undefined;
    const approvalJobs: ApprovalJobLink[] = [];
    /** The approval card as one person sees it, with the job that followed it (the flows answer their clicks with it). */
    const approvalCardFor = async (request: ApprovalRequest, viewer: TurnActor): Promise<AdaptiveCard> => {
      if (!approvals) throw new Error('approvals are not configured');
      return approvalCard(request, approvals.viewFor(request, viewer.id), await refreshIdsOf(conversations, request, [viewer.channelId]), await progressOf(approvalJobs, request));
    };
    /** How the bot signs the audit records of the steps it executes. */
    const botIdentity = `bot:${effective.MicrosoftAppId ?? effective.AZURE_CLIENT_ID ?? 'sandbox'}`;

    // Onboarding / offboarding: needs approvals, Graph memberships and Azure DevOps entitlements.
    const onboardingSettings = effective.ONBOARDING_SETTINGS_FILE ? parseOnboardingSettings(readFileSync(effective.ONBOARDING_SETTINGS_FILE, 'utf8'), effective.ONBOARDING_SETTINGS_FILE) : DEFAULT_ONBOARDING_SETTINGS;
    const devOpsAccess = devOps && effective.AZURE_DEVOPS_ENTITLEMENTS_URL ? new AzureDevOpsUserAccess(devOps, { entitlementsUrl: effective.AZURE_DEVOPS_ENTITLEMENTS_URL }) : undefined;
    const onboardings = new MongoOnboardingStore(connection);
    const welcomePack = welcomePackFor({ catalog: catalogStore, index: catalogIndex, settings: onboardingSettings, ...(effective.AZURE_DEVOPS_ORG_URL ? { devopsBaseUrl: effective.AZURE_DEVOPS_ORG_URL } : {}) });
    let publicBase = effective.PUBLIC_URL; // the listening URL once known (sandbox)
    const downloadUrl = (r: { id: string; downloadToken: string }) => (publicBase ? devcontainerDownloadUrl(publicBase, r) : undefined);
    const personalChatListeners: ((aadObjectId: string) => Promise<void>)[] = [];
    let welcomeRetry: ScheduledWork | undefined;
    let expiryWork: ScheduledWork | undefined;
    if (approvals && directory && graph && devOpsAccess) {
      const teams: TeamFinder = {
        find: async (text) => {
          const wanted = text.trim().toLowerCase();
          const direct = await catalogStore.get(wanted.includes(':') ? wanted : teamRef(wanted));
          if (direct?.kind === 'Group' && direct.status === 'active') return direct;
          const hit = catalogIndex.search(text, 20).find((e) => e.kind === 'Group' && [e.name, e.title ?? ''].some((v) => v.toLowerCase() === wanted));
          return hit ? catalogStore.get(hit.ref) : null;
        },
        suggest: (text) => teamSuggestions(catalogIndex, text),
        owned: async (team) => (await teamEntries({ catalog: catalogStore, index: catalogIndex }, team.ref)).owned,
      };
      const requesterPolicy = new TeamAccessPolicy({ directory, catalog: catalogStore, platformGroups: [...platformGroups, ...onboardingSettings.requesterGroups] });
      const pullRequests = Boolean(sourceControl && provisioning);
      const onboardingNotifier = new OnboardingChatNotifier({ messenger, chats, conversations, pack: welcomePack, downloadUrl, linkHosts, pullRequests, onSkipped: (event, people) => logger.warn({ event, people }, 'onboarding notice: people who could not be reached skipped') });
      jobs.register(onboardingJob({ memberships: graph.memberships, devops: devOpsAccess, onboardings, notifier: onboardingNotifier, audit, botIdentity }));
      jobs.register(offboardingJob({ memberships: graph.memberships, devops: devOpsAccess, onboardings, notifier: onboardingNotifier, audit, botIdentity }));
      const provisioningService = new OnboardingProvisioningService({ jobs, onboardings, notifier: onboardingNotifier, audit, checklistFor: async (ask) => (await welcomePack({ team: ask.team, role: ask.role })).content.checklist });
      const requestDeps = { directory, catalog: catalogStore, teams, memberships: graph.memberships, policy: requesterPolicy, approvals, onboardings, audit };
      const onboardingRequests = new OnboardingRequestService({ ...requestDeps, settings: onboardingSettings });
      const offboarding = new OffboardingService({ ...requestDeps, devops: devOpsAccess, jobs, settings: onboardingSettings });
      followUps[ONBOARD_FLOW] = provisioningService.followUp;
      followUps[OFFBOARD_FLOW] = offboarding.followUp;
      const retry = (jobId: string, actor: { id: string; name: string }) => provisioningService.retry(jobId, actor);
      approvalJobs.push(
        { flow: ONBOARD_FLOW, presentation: onboardingJobPresentation(retry), jobOf: (id) => provisioningService.jobOf(id) },
        { flow: OFFBOARD_FLOW, presentation: offboardingJobPresentation(retry), jobOf: (id) => offboarding.jobOf(id) },
      );
      features.push(
        onboardingFeature({
          onboarding: onboardingRequests,
          offboarding,
          choices: () => ({ roles: Object.entries(onboardingSettings.roles).map(([value, r]) => ({ title: r.title, value })) }),
          approvalCard: approvalCardFor,
          pickers: {
            directory,
            searchTeams: (text, limit) => catalogIndex.search(text, limit * 3).filter((e) => e.kind === 'Group').slice(0, limit).map((e) => ({ name: e.name, title: e.title ?? e.name })),
          },
          welcome: {
            store: onboardings,
            pack: welcomePack,
            checklist: new ChecklistService({ store: onboardings, audit }),
            ...(sourceControl && provisioning ? { devcontainerPr: new DevcontainerPrService({ store: onboardings, pack: welcomePack, sourceControl, provisioning, audit }) } : {}),
            conversations,
            downloadUrl,
            linkHosts,
          },
        }),
      );
      // A joiner's first message (or the app installed for them) delivers a welcome that waited; so does the periodic retry.
      personalChatListeners.push(async (aadObjectId) => void (await provisioningService.deliverWaitingWelcomes(aadObjectId)));
      welcomeRetry = welcomeRetrySchedule(provisioningService, { everyMs: Math.max(60_000, Math.round(effective.ONBOARDING_WELCOME_RETRY_MINUTES * 60_000)), onRun: (sent) => (sent ? logger.info({ sent }, 'waiting welcomes delivered') : undefined) });
    }

    if (devOps && sourceControl && provisioning) {
      const settings = repoSettingsFrom(effective, platformGroups);
      const policy = new TeamAccessPolicy({ ...(directory ? { directory } : {}), catalog: catalogStore, platformGroups: settings.platformGroups });
      const registration = new CatalogRegistration({ store: catalogStore, importer: catalogImport, index: catalogIndex });
      jobs.register(createRepoJob({ provisioning, registration, audit }));
      jobs.register(addPipelineJob({ provisioning, audit }));
      const createRepo = new CreateRepoService({ settings, sourceControl, catalog: catalogStore, teamSearch: catalogIndex, policy, requests: new MongoRepoRequestStore(connection), jobs, audit });
      const addPipeline = new AddPipelineService({ settings, sourceControl, provisioning, catalog: catalogStore, policy, jobs, requests: new MongoPipelineRequestStore(connection), audit });
      features.push(createRepoFeature(createRepo), addPipelineFeature(addPipeline));
    }
    // Periodic work of the flows below, scheduled once the scheduler exists.
    const lateSchedules: ScheduledWork[] = [];
    // Secrets: Key Vault (a vault per environment or per service and environment), ARM role assignments, the mount pull request.
    if (graph && sourceControl && provisioning && (Object.keys(effective.KEY_VAULT_URLS).length || effective.KEY_VAULT_URL || effective.KEY_VAULT_URL_TEMPLATE) && effective.AZURE_SUBSCRIPTION_ID && effective.KEY_VAULT_RESOURCE_GROUP) {
      const tlsOptions = graph.caPem ? { ca: graph.caPem } : undefined;
      const secretStore = new KeyVaultSecretStore({ credential: graph.credential, ...(tlsOptions ? { clientOptions: { tlsOptions, disableChallengeResourceVerification: true } } : {}), pollIntervalMs: effective.KEY_VAULT_POLL_INTERVAL_MS, onRequest: timing('key-vault') });
      // An approved production secret (or rotation) with a typed value: the requester gets the button that opens the value dialog.
      const askForValue = async (approvalId: string, plan: SecretPlan): Promise<void> => {
        const chat = await chats.referenceFor(plan.requester.id);
        if ('unreachable' in chat) return void logger.warn({ approvalId, reason: chat.unreachable }, 'secret: the requester cannot be reached to enter the value');
        await messenger.sendCard(chat.reference, enterValueCard(plan, { approvalId }));
      };
      const services: ServiceFinder = {
        find: async (text) => {
          const wanted = text.trim().toLowerCase();
          const direct = await catalogStore.get(wanted.includes(':') ? wanted : `component:default/${wanted}`);
          if (direct && direct.status === 'active') return direct;
          const hit = catalogIndex.search(text, 20).find((e) => e.kind === 'Component' && [e.name, e.title ?? ''].some((v) => v.toLowerCase() === wanted));
          return hit ? catalogStore.get(hit.ref) : null;
        },
        suggest: (text) => catalogIndex.search(text, 20).filter((e) => e.kind === 'Component').slice(0, 3).map((e) => e.name),
      };
      // Secrets: pipeline variables. The Key Vault-linked group + pipeline pull request a secret variable's job ends with.
      const pipelineVariables = devOps ? new AzureDevOpsPipelineVariables(devOps) : undefined;
      const pipelineLinking = pipelineVariables ? new PipelineSecretLinking({ variables: pipelineVariables, sourceControl, provisioning, serviceConnection: effective.SECRETS_PIPELINE_SERVICE_CONNECTION }) : undefined;
      const secretSettings = {
        vaults: {
          layout: vaultLayoutOf(effective),
          names: vaultNamesFrom(effective.KEY_VAULT_NAMES),
          environments: effective.KEY_VAULT_LAYOUT === 'per-environment' && Object.keys(effective.KEY_VAULT_URLS).length ? Object.keys(effective.KEY_VAULT_URLS) : [...ENVIRONMENTS],
          arm: { subscriptionId: effective.AZURE_SUBSCRIPTION_ID, resourceGroup: effective.KEY_VAULT_RESOURCE_GROUP },
        },
        convention: effective.SECRET_NAME_CONVENTION,
        approvalEnvironments: effective.SECRET_APPROVAL_ENVIRONMENTS,
        defaultExpiryDays: effective.SECRET_DEFAULT_EXPIRY_DAYS || null,
        ...(pipelineVariables ? { pipelineLinks: {} } : {}),
      };
      jobs.register(
        createSecretJob({
          store: secretStore,
          roles: new ArmRoleAssignments({ credential: graph.credential, baseUrl: effective.ARM_BASE_URL, ...(tlsOptions ? { tlsOptions } : {}), onRequest: timing('arm') }),
          identities: graph.workloads,
          mount: mountWith(new SecretMounting({ sourceControl, provisioning })),
          audit,
          tenantId: effective.AZURE_TENANT_ID ?? '',
          generator: { length: effective.SECRET_VALUE_LENGTH, alphabet: effective.SECRET_VALUE_ALPHABET },
          botIdentity,
          tagsFor: (plan, key) => secretTags(plan, key, new Date()),
          ...(pipelineLinking ? { linkPipeline: (plan: SecretPlan) => pipelineLinking.link(plan) } : {}),
        }),
      );
      const secretFlow = { services, catalog: catalogStore, policy: teamPolicy, ...(approvals ? { approvals } : {}), jobs, audit, askForValue };
      const secrets: CreateSecretService = new CreateSecretService({ ...secretFlow, store: secretStore, settings: secretSettings });
      const presentation = createSecretJobPresentation((jobId, actor) => secrets.retry(jobId, actor));
      if (approvals) {
        followUps[SECRET_FLOW] = secrets.followUp;
        approvalJobs.push({ flow: SECRET_FLOW, presentation, jobOf: (id) => jobs!.findByKey(CREATE_SECRET_JOB, id) });
      }
      features.push(
        secretsFeature({
          secrets,
          // Declared below in this block; only called on a click, long after.
          rotations: { previewRotation: (input, actor) => lifecycle.previewRotation(input, actor), storeTypedRotation: (from, value, actor, notify) => lifecycle.storeTypedRotation(from, value, actor, notify) },
          ...(approvals ? { approvals } : {}),
          approvalCard: approvalCardFor,
          jobCard: async (job) => jobProgressCard(job, presentation),
          // With approvals, the approvals feature presents this job (on the approval card when an approval started it).
          ...(approvals ? {} : { presentation }),
        }),
      );

      // Secrets: list, rotate (a durable job; the previous versions disabled after the grace period by a schedule), delete, recover.
      const pendingDisables = new MongoPendingDisableStore(connection);
      jobs.register(rotateSecretJob({ store: secretStore, pending: pendingDisables, audit, generator: { length: effective.SECRET_VALUE_LENGTH, alphabet: effective.SECRET_VALUE_ALPHABET }, botIdentity, tagsFor: (plan, key) => secretTags(plan, key, new Date()) }));
      const lifecycle = new SecretLifecycleService({ ...secretFlow, store: secretStore, settings: { ...secretSettings, graceHours: effective.SECRET_ROTATION_GRACE_HOURS } });
      const rotation = rotateSecretJobPresentation((jobId, actor) => lifecycle.retry(jobId, actor));
      if (approvals) {
        followUps[SECRET_ROTATION_FLOW] = lifecycle.followUp;
        approvalJobs.push({ flow: SECRET_ROTATION_FLOW, presentation: rotation, jobOf: (id) => jobs!.findByKey(ROTATE_SECRET_JOB, id) });
      }
      lateSchedules.push(rotationGraceSchedule({ pending: pendingDisables, store: secretStore, audit, botIdentity }, { everyMs: Math.max(60_000, Math.round(effective.SECRET_ROTATION_SWEEP_MINUTES * 60_000)), onRun: (done) => (done.length ? logger.info({ rotations: done.length }, 'secret rotation grace: previous versions disabled') : undefined) }));
      features.push(
        secretLifecycleFeature({
          lifecycle,
          approvalCard: approvalCardFor,
          jobCard: async (job) => jobProgressCard(job, rotation),
          ...(approvals ? {} : { presentation: rotation }),
        }),
      );
      // Secrets: expiry reminders (scheduled below, one replica per slot) and the card's Rotate / Extend / Snooze.
      const expiry = new SecretExpiryService({
        store: secretStore,
        vaults: () =>
          expiryVaults(secretSettings.vaults, async () => {
            // Only the per-service-environment layout needs every service's prefix (a vault each).
            const entities = await catalogStore.changedSince(0, 100_000);
            return entities.filter((e) => e.kind === 'Component' && e.status === 'active').map((e) => e.source.secretPrefix ?? e.name);
          }),
        services: {
          byService: (name) => services.find(name),
          byPrefix: async (prefix) => {
            const hit = catalogIndex.search(prefix, 20).find((e) => e.kind === 'Component' && (catalogIndex.get(e.ref)?.secretPrefix ?? e.name) === prefix);
            return hit ? catalogStore.get(hit.ref) : null;
          },
        },
        catalog: catalogStore,
        policy: teamPolicy,
        recipients: new DigestRecipientResolver({ catalog: catalogStore, conversations }),
        reminders: new MongoExpiryReminderStore(connection),
        // Rotate from the card: one rotation per secret and day (a double click meets the same job).
        rotate: async (name, actor) => {
          const outcome = await lifecycle.confirmRotation({ vaultName: name }, actor, `expiry-${name}-${new Date().toISOString().slice(0, 10)}`, {});
          return outcome.kind === 'job' ? outcome.job : undefined;
        },
        publisher: expiryReminderPublisher(messenger, true),
        audit,
        thresholds: effective.SECRET_EXPIRY_THRESHOLDS_DAYS,
        convention: effective.SECRET_NAME_CONVENTION,
        logger,
      });
      expiryWork = secretExpirySchedule(expiry, { everyMs: Math.max(60_000, Math.round(effective.SECRET_EXPIRY_CHECK_HOURS * 3600_000)) });
      features.push(secretExpiryFeature({ expiry, jobCard: async (job) => jobProgressCard(job, rotation) }));
      // Secrets: pipeline variables (set variable / set secret variable / list variables).
      if (pipelineVariables) {
        const variables = new PipelineVariablesService({
          services,
          catalog: catalogStore,
          policy: teamPolicy,
          variables: pipelineVariables,
          audit,
          environments: [...ENVIRONMENTS],
        });
        features.push(pipelineVariablesFeature({ variables, secrets }));
      }
    }
    // After every flow that follows approvals with a job (their jobs show on the approval card).
    if (approvals) features.push(approvalsFeature({ approvals, conversations, followUpJobs: approvalJobs }));
    const presentations = new JobPresentations(features.flatMap((f) => f.jobs ?? []));
    features.push(jobsFeature(presentations, jobs));

    // Bot
    const bot = new IdpBot({
      logger,
      conversationState: new ConversationState(storage),
      features,
      recorder: new ConversationRecorder(conversations, personalChatListeners, logger),
      trustedChannels: effective.TRUSTED_CHANNELS.length ? effective.TRUSTED_CHANNELS : DEFAULT_TRUSTED_CHANNELS,
      instruments,
    });
    // Read at scrape time: the index's two fields, and the queue from the store (one query per 5 s at most).
    instruments.observeCatalogIndex(() => ({ revision: catalogIndex.revision, size: catalogIndex.size }));
    instruments.observeQueue(() => jobStore.countByStatus(['pending', 'running']), { cacheMs: 5000 });
    const notifier = new JobProgressNotifier(messenger, jobCards(presentations), logger);
    jobs.onProgress(notifier.onProgress);

    // Catalog background work: the index on every replica, the import on one at a time.
    const sources = {
      locations: effective.CATALOG_LOCATIONS.length ? effective.CATALOG_LOCATIONS : sandbox ? [sandbox.seedCatalogDir] : [],
      azureDevOpsProjects: devOps && effective.CATALOG_IMPORT_AZURE_DEVOPS ? effective.AZURE_DEVOPS_PROJECTS : [],
    };
    const importAll = async (signal?: AbortSignal) => {
      const totals = await catalogImport.importSources(sources, signal ? { signal } : {});
      for (const p of totals.problems) logger.warn({ location: p.location, entity: p.entity, reason: p.reason }, 'catalog entity rejected');
      logger.info({ locations: totals.locations, created: totals.created, updated: totals.updated, orphaned: totals.orphaned, problems: totals.problems.length }, 'catalog import totals');
      if (totals.created + totals.updated + totals.orphaned > 0) await catalogIndex.refresh();
    };
    // Periodic work runs as jobs on the shared runner: one replica per period.
    scheduler = new Scheduler({ runner: jobs, logger });
    const periodic = scheduler;
    void scheduler.schedule(healthWork);
    if (approvals) {
      const everyMs = Math.max(60_000, Math.round(effective.APPROVAL_SWEEP_MINUTES * 60_000));
      void scheduler.schedule(approvalSweepSchedule(approvals, { everyMs, onSweep: (r) => (r.expired.length || r.reminded.length || r.followedUp.length ? logger.info({ expired: r.expired.length, reminded: r.reminded.length, followedUp: r.followedUp.length }, 'approval sweep') : undefined) }));
    }
    if (welcomeRetry) void scheduler.schedule(welcomeRetry);
    for (const work of lateSchedules) void scheduler.schedule(work);
    if (expiryWork) void scheduler.schedule(expiryWork);
    if (effective.DIGEST_ENABLED) {
      void scheduler.schedule({
        name: DIGEST_SCHEDULE,
        ...weeklySlot(effective.DIGEST_DAY, effective.DIGEST_TIME, effective.DIGEST_TIMEZONE),
        run: async ({ slot, signal }) => void (await catalogDigest.runOccurrence(occurrenceKey(DIGEST_SCHEDULE, slot), signal)),
      });
    }
    catalogSync = new CatalogSyncService({
      ...(sources.locations.length || sources.azureDevOpsProjects.length ? { import: importAll } : {}),
      index: catalogIndex,
      scheduler,
      logger,
      intervals: { importMs: Math.max(1, Math.round(effective.CATALOG_REFRESH_MINUTES * 60_000)), indexRefreshMs: effective.CATALOG_INDEX_REFRESH_MS },
    });
    let catalogReady = false;
    const sync = catalogSync;
    const startCatalog = async () => {
      const began = Date.now();
      const { restored = false } = await catalogIndex.start();
      logger.info({ entities: catalogIndex.size, ms: Date.now() - began, restored }, 'catalog index ready');
      await sync.start(); // resolves after the first import attempt, wherever it ran
      collectGarbage();
      catalogReady = true;
      // A catalog never checked (a first start, the sandbox) gets its first health run now, after the import, not at the next slot.
      if (!(await healthRuns.latestRuns(1)).length) await periodic.runCurrent(HEALTH_SCHEDULE_NAME);
    };

    const conn = connection;
    const server = createServer({
      logger,
      adapter,
      bot,
      maxBodyBytes: effective.MAX_BODY_BYTES,
      allowedTenantIds: effective.ALLOWED_TENANT_IDS,
      readiness: [
        { name: 'store', check: () => isConnected(conn) },
        { name: 'adapters', check: () => missingAdapterSettings(effective).length === 0 },
        { name: 'catalog', check: () => catalogReady && catalogIndex.isBuilt },
      ],
      extraRoutes: (s) => {
        registerCatalogWebhooks(s, { facts: catalogFacts, token: effective.CATALOG_WEBHOOK_TOKEN ?? sandbox?.webhookToken, logger, maxBodyBytes: effective.MAX_BODY_BYTES, afterRecord: () => catalogIndex.refresh() });
        registerDevcontainerDownload(s, { store: onboardings, pack: welcomePack, logger });
        if (sandbox) registerPlaygroundRoutes(s, { playground: sandbox.playground, serviceUrl: sandbox.urls.botConnector!, maxBodyBytes: effective.MAX_BODY_BYTES });
        registerMetricsRoute(s, { exposition: instruments, ...(effective.METRICS_TOKEN ? { token: effective.METRICS_TOKEN } : {}), logger });
        registerPlatformMetricsRoute(s, { metrics: platformMetrics, token: effective.PLATFORM_METRICS_TOKEN, logger });
      },
      sandboxInfo: sandbox ? () => sandbox.describe(url) : undefined,
    });
    const url = await server.listen(effective.PORT, effective.HOST);
    publicBase ??= url;
    jobs.start(RUNNER);
    void scheduler.start();
    // The index builds in the background: /readyz answers 503 until it has.
    const catalogStarted = startCatalog().catch((e) => logger.error({ err: e }, 'catalog failed to start'));
    logger.info({ url, mode: effective.mode, startupMs: Date.now() - startedAt }, 'bot listening');

    const runner = jobs;
    let stopping: Promise<void> | undefined;
    return {
      url,
      config: effective,
      sandbox,
      logger,
      connection,
      server,
      adapter,
      metrics: instruments,
      jobs: runner,
      catalog: { refreshIndex: async () => void (await catalogIndex.refresh()), importAll },
      health: { runNow: (id = `manual-${Date.now()}`) => catalogHealth.run({ id }) },
      catalogHealth: { runs: healthRuns, waivers: healthWaivers },
      catalogDigest: { runOccurrence: (occurrence) => catalogDigest.runOccurrence(occurrence) },
      ...(approvals ? { approvals } : {}),
      runScheduled: (name) => periodic.runCurrent(name),
      stop: () =>
        (stopping ??= (async () => {
          await server.drain(effective.SHUTDOWN_GRACE_MS);
          // Steps in flight finish; their jobs are handed back for another replica (or the next start).
          await runner.stop({ graceMs: effective.SHUTDOWN_GRACE_MS });
          await notifier.idle();
          await sync.stop();
          periodic.stop();
          await catalogStarted;
          await catalogIndex.flush(); // a snapshot waiting or being saved is saved before the store closes
          graph?.close();
          await conn.close();
          await sandbox?.stop();
          logger.info('stopped');
        })()),
    };
  } catch (e) {
    await catalogSync?.stop().catch(() => undefined);
    scheduler?.stop();
    await jobs?.stop({ graceMs: 0 }).catch(() => undefined);
    graph?.close();
    await connection?.close().catch(() => undefined);
    await sandbox?.stop();
    throw e;
  }
}

function repoSettingsFrom(config: Config, platformGroups: readonly string[]): RepoSettings {
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

/** Microsoft Graph with the bot's identity; absent where no identity is configured (policy then reads the catalog only). */
interface GraphAdapters {
  directory: GraphDirectory;
  memberships: GraphWorkspaceMemberships;
  installation: GraphAppInstallation;
  workloads: GraphWorkloadIdentities;
  /** The bot's app-only credential, shared with Key Vault and ARM. */
  credential: ReturnType<typeof createAzureCredential>;
  caPem?: string;
  close(): void;
}

/** The Graph adapters on one credential (app-only), when a tenant and client are configured. */
function graphAdapters(config: Config, instruments: Instruments): GraphAdapters | undefined {
  if (!config.AZURE_TENANT_ID || !config.AZURE_CLIENT_ID) return undefined;
  const caPem = config.AZURE_EXTRA_CA_PATH ? readFileSync(config.AZURE_EXTRA_CA_PATH, 'utf8') : undefined;
  const credential = createAzureCredential({
    tenantId: config.AZURE_TENANT_ID,
    clientId: config.AZURE_CLIENT_ID,
    ...(config.AZURE_CLIENT_SECRET ? { clientSecret: config.AZURE_CLIENT_SECRET } : {}),
    authorityHost: config.AZURE_AUTHORITY_HOST,
    ...(caPem ? { caPem } : {}),
    onRequest: upstreamRecorder(instruments, 'entra'),
  });
  const client = { credential, baseUrl: config.GRAPH_BASE_URL, ...(caPem ? { ca: caPem } : {}), onRequest: upstreamRecorder(instruments, 'graph') };
  const directory = new GraphDirectory(client);
  const memberships = new GraphWorkspaceMemberships(client);
  const installation = new GraphAppInstallation({ ...client, teamsAppExternalId: config.TEAMS_APP_ID ?? config.MicrosoftAppId ?? config.AZURE_CLIENT_ID });
  const workloads = new GraphWorkloadIdentities(client);
  return {
    directory,
    memberships,
    installation,
    workloads,
    credential,
    ...(caPem ? { caPem } : {}),
    close: () => {
      directory.close();
      memberships.close();
      installation.close();
      workloads.close();
    },
  };
}

/** Settings each adapter needs before it can serve (readiness; production start already demands them). */
function missingAdapterSettings(config: Config): string[] {
  const needed: [string, unknown][] = [
    ['AZURE_DEVOPS_ORG_URL', config.AZURE_DEVOPS_ORG_URL],
    ['AZURE_DEVOPS_PAT', config.AZURE_DEVOPS_PAT],
    ['AZURE_TENANT_ID', config.AZURE_TENANT_ID],
    ['AZURE_CLIENT_ID', config.AZURE_CLIENT_ID],
    ['GRAPH_BASE_URL', config.GRAPH_BASE_URL],
  ];
  return needed.filter(([, v]) => !v).map(([k]) => k);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const bot = await startBot(config);
  if (bot.sandbox) printSandboxBanner(bot);
  const shutdown = (signal: string) => {
    bot.logger.info({ signal }, 'shutting down');
    bot.stop().then(
      () => process.exit(0),
      (e) => {
        bot.logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

function printSandboxBanner(bot: RunningBot): void {
  const lines = [
    '',
    'Sandbox mode: no Azure account needed. Everything below runs on this machine.',
    `  Playground     ${bot.url}/playground     (open it in a browser: Teams-like chat, switch person, approve)`,
    `  Bot endpoint   ${bot.url}/api/messages   (Bot Framework Emulator: open this URL, no app id)`,
    `  Sandbox info   ${bot.url}/sandbox        (stand-in URLs, demo users, teams, projects)`,
    ...Object.entries(bot.sandbox!.urls).map(([name, u]) => `  ${name.padEnd(14)} ${u}`),
    `  Store          ${bot.config.dataDir}`,
    '',
    `Try:  open ${bot.url}/playground   or   curl -s ${bot.url}/sandbox | head -c 600`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

/**
 * A full GC, after catalog work that leaves ~100-200 MB of garbage at once (a snapshot loaded or
 * saved, a full index build, the first import): an idle replica gets no GC to free it (100k
 * entities: ~445 MB resident instead of ~300 MB). Only with node --expose-gc, which `npm start` passes.
 */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
