/**
 * Composition root: load config, build adapters, services, the bot and the server, listen.
 * The only place that calls `new` on adapters. `startBot` is also what the test harness runs.
 */
import { ConversationState } from 'botbuilder';
import { readFileSync } from 'node:fs';
import type { Connection } from 'mongoose';
import { AzureDevOpsConnection } from './adapters/azure-devops/azure-devops-connection';
import { AzureDevOpsRepositoryProvisioning } from './adapters/azure-devops/azure-devops-provisioning.adapter';
import { AzureDevOpsSourceControl } from './adapters/azure-devops/azure-devops-source-control.adapter';
import { createAzureCredential } from './adapters/azure-identity/azure-credential';
import { GraphDirectory } from './adapters/graph/graph-directory.adapter';
import { MongoCatalogStore } from './adapters/mongo/mongo-catalog-store.adapter';
import { MongoJobStore } from './adapters/mongo/mongo-job-store.adapter';
import { MongoRepoRequestStore } from './adapters/mongo/mongo-repo-request-store.adapter';
import { ProactiveMessenger } from './bot/proactive-messenger';
import { buildRepoFeature, repoSettingsFrom, type RepoFeature } from './bot/repo-feature';
import { CatalogImportService } from './domain/catalog/catalog-import.service';
import { CatalogFactsService } from './domain/catalog/catalog-facts.service';
import { CatalogFeature } from './bot/catalog/catalog-feature';
import { FileDescriptorSource } from './adapters/files/file-descriptor-source.adapter';
import { MongoLease } from './adapters/mongo/mongo-lease.adapter';
import { registerCatalogWebhooks } from './http/catalog-webhook.routes';
import { MongoAuditLog } from './adapters/mongo/mongo-audit-log.adapter';
import { MongoBotStorage } from './adapters/mongo/mongo-bot-storage.adapter';
import { connectMongo, isConnected } from './adapters/mongo/mongo-connection';
import { MongoConversationDirectory } from './adapters/mongo/mongo-conversation-directory.adapter';
import { MongoFeedbackStore } from './adapters/mongo/mongo-feedback-store.adapter';
import { MongoIndexSnapshotStore } from './adapters/mongo/mongo-index-snapshot-store.adapter';
import { InMemoryCatalogSearch } from './adapters/catalog-index/in-memory-catalog-search';
import { createBotAdapter, type BotHttpAdapter } from './bot/bot-adapter';
import { CardActionRouter } from './bot/card-action-router';
import { CommandRouter } from './bot/command-router';
import { buildCommandTable, helpCardFor } from './bot/commands';
import { ConversationRecorder } from './bot/conversation-recorder';
import { IdpBot } from './bot/idp-bot';
import { ConfigError, loadConfig, withOverrides, type Config } from './config';
import { FeedbackService } from './domain/feedback/feedback.service';
import { createLogger, type Logger } from './logger';
import { startSandbox, type Sandbox } from './sandbox/sandbox';
import { createServer, type BotServer } from './server';
import { FeedbackDialog } from '../dialogs/feedback/feedback.dialog';
import { CARD_VERBS } from '../cards/verbs';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../cards/render';
import type { DestinationStream } from 'pino';

export interface RunningBot {
  url: string;
  config: Config;
  sandbox?: Sandbox;
  logger: Logger;
  connection: Connection;
  server: BotServer;
  adapter: BotHttpAdapter;
  /** "create repo" / "add pipeline" (absent without Azure DevOps settings). */
  repos?: RepoFeature;
  catalog: CatalogFeature;
  /** Graceful stop: drain turns, close the store, stop the sandbox. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where logs go (tests capture them); default stdout. */
  logDestination?: DestinationStream;
}

export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const startedAt = Date.now();
  const logger = createLogger(config.LOG_LEVEL, options.logDestination);

  const sandbox = config.mode === 'sandbox' ? await startSandbox({ dataDir: config.dataDir, mongoUri: config.MONGODB_URI }) : undefined;
  const effective: Config = sandbox ? withOverrides(config, sandbox.configOverlay) : config;
  const mongoUri = effective.MONGODB_URI;
  if (!mongoUri) throw new ConfigError(['MONGODB_URI: required outside sandbox mode']);

  let connection: Connection | undefined;
  let repos: RepoFeature | undefined;
  let directory: GraphDirectory | undefined;
  let catalogStarted: Promise<void> = Promise.resolve();
  try {
    connection = await connectMongo(mongoUri, effective.MONGODB_DB);

    // Adapters
    const storage = new MongoBotStorage(connection);
    const audit = new MongoAuditLog(connection);
    const conversations = new MongoConversationDirectory(connection);
    const feedbackStore = new MongoFeedbackStore(connection);
    // One Azure DevOps connection (discovery, sockets, retry policy) for the read and write adapters.
    const devOps = effective.AZURE_DEVOPS_ORG_URL && effective.AZURE_DEVOPS_PAT ? new AzureDevOpsConnection({ orgUrl: effective.AZURE_DEVOPS_ORG_URL, token: effective.AZURE_DEVOPS_PAT }) : undefined;
    void devOps?.warmUp();
    const sourceControl = devOps ? new AzureDevOpsSourceControl(devOps) : undefined;
    directory = graphDirectory(effective);
    const catalogStore = new MongoCatalogStore(connection);
    // Large pages: the embedded store scans the collection once per page (no indexes there).
    const catalogIndex = new InMemoryCatalogSearch(catalogStore, { logger, pageSize: 5000, snapshots: new MongoIndexSnapshotStore(connection), collectGarbage });
    const catalog = new CatalogFeature(
      {
        locations: effective.CATALOG_LOCATIONS.length ? effective.CATALOG_LOCATIONS : sandbox ? [sandbox.seedCatalogDir] : [],
        azureDevOpsProjects: devOps && effective.CATALOG_IMPORT_AZURE_DEVOPS ? effective.AZURE_DEVOPS_PROJECTS : [],
        refreshMinutes: effective.CATALOG_REFRESH_MINUTES,
        indexRefreshMs: effective.CATALOG_INDEX_REFRESH_MS,
      },
      {
        index: catalogIndex,
        importer: new CatalogImportService({
          store: catalogStore,
          audit,
          descriptors: new FileDescriptorSource(),
          ...(sourceControl ? { sourceControl } : {}),
        }),
        lease: new MongoLease(connection),
        logger,
        collectGarbage,
      },
    );
    const catalogFacts = new CatalogFactsService(catalogStore, audit);
    repos = devOps && sourceControl
      ? buildRepoFeature(
          repoSettingsFrom(effective, effective.PLATFORM_GROUPS.length ? effective.PLATFORM_GROUPS : (sandbox?.platformGroups ?? [])),
          {
            sourceControl,
            provisioning: new AzureDevOpsRepositoryProvisioning(devOps),
            ...(directory ? { directory } : {}),
            catalog: catalogStore,
            catalogIndex,
            jobStore: new MongoJobStore(connection),
            requests: new MongoRepoRequestStore(connection),
            audit,
          },
          { logger, stepAttempts: effective.REPO_JOB_STEP_ATTEMPTS },
        )
      : undefined;

    // Services
    const feedback = new FeedbackService(feedbackStore, audit);

    // Bot
    const routes = buildCommandTable(catalog.routes());
    const cardActions = new CardActionRouter().on(CARD_VERBS.showHelp, async () => ({
      statusCode: 200,
      type: ADAPTIVE_CARD_CONTENT_TYPE,
      value: helpCardFor(routes),
    }));
    repos?.registerCardActions(cardActions);
    catalog.registerCardActions(cardActions);
    const bot = new IdpBot({
      logger,
      conversationState: new ConversationState(storage),
      commands: new CommandRouter(routes),
      cardActions,
      dialogs: [new FeedbackDialog(feedback), ...(repos?.dialogs ?? [])],
      recorder: new ConversationRecorder(conversations),
      allowedTenantIds: effective.ALLOWED_TENANT_IDS,
      messaging: {
        query: (q) => catalog.messagingExtensionQuery(q),
        select: (v) => catalog.messagingExtensionSelect(v),
        unfurl: (q) => catalog.linkUnfurl(q),
      },
    });
    const adapter = createBotAdapter(effective, logger);
    repos?.start(new ProactiveMessenger(adapter, effective.MicrosoftAppId ?? ''));

    const conn = connection;
    const server = createServer({
      logger,
      adapter,
      bot,
      maxBodyBytes: effective.MAX_BODY_BYTES,
      readiness: [
        { name: 'store', check: () => isConnected(conn) },
        { name: 'adapters', check: () => missingAdapterSettings(effective).length === 0 },
        { name: 'catalog', check: () => catalog.ready },
      ],
      extraRoutes: (s) => registerCatalogWebhooks(s, { facts: catalogFacts, token: effective.CATALOG_WEBHOOK_TOKEN ?? sandbox?.webhookToken, logger }),
      sandboxInfo: sandbox ? () => sandbox.describe(url) : undefined,
    });
    const url = await server.listen(effective.PORT, effective.HOST);
    // The index builds in the background: /readyz answers 503 until it has.
    catalogStarted = catalog.start().catch((e) => logger.error({ err: e }, 'catalog failed to start'));
    logger.info({ url, mode: effective.mode, startupMs: Date.now() - startedAt }, 'bot listening');

    let stopping: Promise<void> | undefined;
    return {
      url,
      config: effective,
      sandbox,
      logger,
      connection,
      server,
      adapter,
      repos,
      catalog,
      stop: () =>
        (stopping ??= (async () => {
          await server.drain(effective.SHUTDOWN_GRACE_MS);
          // Steps in flight finish; their jobs are handed back for another replica (or the next start).
          await repos?.stop(effective.SHUTDOWN_GRACE_MS);
          await catalogStarted;
          await catalog.stop();
          directory?.close();
          await conn.close();
          await sandbox?.stop();
          logger.info('stopped');
        })()),
    };
  } catch (e) {
    await repos?.stop(0).catch(() => undefined);
    directory?.close();
    await connection?.close().catch(() => undefined);
    await sandbox?.stop();
    throw e;
  }
}

/** Microsoft Graph with the bot's identity; absent where no identity is configured (policy then reads the catalog only). */
function graphDirectory(config: Config): GraphDirectory | undefined {
  if (!config.AZURE_TENANT_ID || !config.AZURE_CLIENT_ID) return undefined;
  const caPem = config.AZURE_EXTRA_CA_PATH ? readFileSync(config.AZURE_EXTRA_CA_PATH, 'utf8') : undefined;
  const credential = createAzureCredential({
    tenantId: config.AZURE_TENANT_ID,
    clientId: config.AZURE_CLIENT_ID,
    ...(config.AZURE_CLIENT_SECRET ? { clientSecret: config.AZURE_CLIENT_SECRET } : {}),
    authorityHost: config.AZURE_AUTHORITY_HOST,
    ...(caPem ? { caPem } : {}),
  });
  return new GraphDirectory({ credential, baseUrl: config.GRAPH_BASE_URL, ...(caPem ? { ca: caPem } : {}) });
}

/** Settings each adapter needs before it can serve (readiness; production start already demands them). */
export function missingAdapterSettings(config: Config): string[] {
  const needed: [string, unknown][] = [
    ['AZURE_DEVOPS_ORG_URL', config.AZURE_DEVOPS_ORG_URL],
    ['AZURE_DEVOPS_PAT', config.AZURE_DEVOPS_PAT],
    ['KEY_VAULT_URL', config.KEY_VAULT_URL],
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
    `  Bot endpoint   ${bot.url}/api/messages   (Bot Framework Emulator: open this URL, no app id)`,
    `  Sandbox info   ${bot.url}/sandbox        (stand-in URLs, demo users, teams, projects)`,
    ...Object.entries(bot.sandbox!.urls).map(([name, u]) => `  ${name.padEnd(14)} ${u}`),
    `  Store          ${bot.config.dataDir}`,
    '',
    `Try:  curl -s ${bot.url}/sandbox | head -c 600`,
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
