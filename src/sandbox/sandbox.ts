/**
 * The embedded default: with no Azure configuration, `npm start` runs the bot against local
 * stand-ins of every service it uses, seeded with the demo organisation. Production and sandbox
 * run the same adapters; the sandbox only supplies URLs and credentials (`configOverlay`).
 * Everything the bot changes survives a restart (or a kill -9) on the same DATA_DIR: the store in
 * `store/db.bson`, each stand-in's state in `standins/<name>.json` (written before it answers a
 * change), the CA in `tls/`, and the stand-ins' ports in `standins/ports.json`. The demo seed is
 * applied only when a data dir has no state yet.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startSandboxStore, type EmbeddedMongo } from './embedded-mongo';
import { readPorts, writePorts } from './standin-ports';
import { startIdentityStandIns } from './standins/azure-identity-standins';
import { AzureDevOpsStandIn } from './standins/azure-devops.standin';
import { BotConnectorStandIn } from './standins/bot-connector.standin';
import type { GraphStandIn } from './standins/graph.standin';
import type { ArmStandIn } from './standins/arm.standin';
import type { KeyVaultStandIn } from './standins/key-vault.standin';
import { DEMO_ENTITLEMENTS } from './seed/demo-entitlements';
import { Playground } from './playground/playground';
import { writeAgentsPlaygroundConfig } from './playground/agents-playground-config';
import { DEMO_GROUPS, DEMO_ORG, DEMO_TEAMS_APP, DEMO_PROJECTS, DEMO_TEAMS, DEMO_TENANT_ID, DEMO_USERS } from './seed/demo-org';

export interface SandboxOptions {
  dataDir: string;
  /** Use this store instead of starting the embedded one (tests share one server). */
  mongoUri?: string;
}

export interface Sandbox {
  mongoUri: string;
  azureDevOps: AzureDevOpsStandIn;
  connector: BotConnectorStandIn;
  /** The directory, teams, channels and app installations (tests and people inspect and fault it). */
  graph: GraphStandIn;
  /** Azure Resource Manager: role assignments on the key vaults (tests and people inspect and fault it). */
  arm: ArmStandIn;
  /** The Key Vault stand-ins by environment (dev, staging, prod): inspect and fault each one. */
  vaults: Record<string, KeyVaultStandIn>;
  /** The browser playground's server side (GET /playground): a view over the Bot Connector stand-in. */
  playground: Playground;
  /** Settings that point the real adapters at the stand-ins. */
  configOverlay: Record<string, string>;
  /** Base URL of every stand-in, by name. */
  urls: Record<string, string>;
  /** The demo directory's platform group(s), used when PLATFORM_GROUPS is not set. */
  platformGroups: string[];
  /** The demo catalog (catalog-info.yaml files), imported when CATALOG_LOCATIONS is not set. */
  seedCatalogDir: string;
  /** Bearer token of the catalog webhooks when CATALOG_WEBHOOK_TOKEN is not set. */
  webhookToken: string;
  /** Hosts of the demo catalog's dashboards, logs and runbooks, linked when LINK_HOSTS is not set. */
  linkHosts: string[];
  /** What GET /sandbox answers: URLs and seeded identities. */
  describe(botUrl: string): unknown;
  stop(): Promise<void>;
}

const SEED_CATALOG_DIR = path.join(__dirname, 'seed', 'catalog');
const SANDBOX_WEBHOOK_TOKEN = 'sandbox-webhook-token';
const SANDBOX_CLIENT_ID = '5a2db0c7-0000-4000-8000-00000000b075';
/** One vault per environment (the default layout), each its own https origin as in Azure. */
const SANDBOX_VAULTS: Record<string, string> = { dev: 'kv-dev', staging: 'kv-staging', prod: 'kv-prod' };
const VAULT_NAMES = Object.values(SANDBOX_VAULTS);
/** Port-file key of a vault after the first (which keeps `keyVault`). */
const vaultPortKey = (name: string) => `keyVault-${name}`;

interface Closable {
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const closables: Closable[] = [];
  let mongo: EmbeddedMongo | undefined;
  try {
    // Everything starts at once: the store's process boot (~300 ms) overlaps the stand-ins'.
    const stateDir = path.join(options.dataDir, 'standins');
    const portsFile = path.join(stateDir, 'ports.json');
    const ports = readPorts(portsFile);
    const azureDevOps = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: DEMO_PROJECTS, entitlements: DEMO_ENTITLEMENTS });
    azureDevOps.entitlementsPort = ports.azureDevOpsEntitlements;
    azureDevOps.keepStateIn(path.join(stateDir, 'azure-devops.json'));
    const connector = new BotConnectorStandIn({ tenantId: DEMO_TENANT_ID });
    connector.keepStateIn(path.join(stateDir, 'bot-connector.json'));
    const track = <T extends Closable>(c: T): T => (closables.push(c), c);
    const started = await Promise.allSettled([
      options.mongoUri ?? startSandboxStore(options.dataDir).then((m) => ((mongo = m), m.uri)),
      azureDevOps.startPreferring(ports.azureDevOps).then(() => track(azureDevOps)),
      connector.startPreferring(ports.botConnector).then(() => track(connector)),
      // The bot's own identity against Entra/Key Vault/Graph: a fresh secret every start.
      startIdentityStandIns({
        dataDir: options.dataDir,
        stateDir,
        ports: { entra: ports.entraId, keyVault: ports.keyVault, graph: ports.graph, arm: ports.arm, vaults: Object.fromEntries(VAULT_NAMES.flatMap((n) => (ports[vaultPortKey(n)] ? [[n, ports[vaultPortKey(n)]!]] : []))) },
        vaults: VAULT_NAMES,
        tenantId: DEMO_TENANT_ID,
        clients: [{ clientId: SANDBOX_CLIENT_ID, clientSecret: randomBytes(24).toString('base64url'), displayName: 'IDP bot (sandbox)' }],
      }).then(track),
    ] as const);
    // Every start is awaited (and tracked) before a failure is raised: nothing is left running.
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const value = <T>(r: PromiseSettledResult<T>): T => (r as PromiseFulfilledResult<T>).value;
    const mongoUri = value(started[0]);
    const identity = value(started[3]);
    // The bot's 1:1 chats exist once its app is installed for the person (Graph): the connector asks Graph's state.
    connector.linkPersonalChats((chatId) => identity.graph.teamwork.isChatOpen(chatId));
    const playground = new Playground({ connector, teamwork: identity.graph.teamwork, saveGraphState: () => identity.graph.saveState() });
    writeAgentsPlaygroundConfig(options.dataDir);

    const urls: Record<string, string> = {
      azureDevOps: azureDevOps.collectionUrl,
      azureDevOpsEntitlements: azureDevOps.entitlementsUrl,
      keyVault: identity.keyVault.baseUrl,
      ...Object.fromEntries(VAULT_NAMES.slice(1).map((n) => [vaultPortKey(n), identity.vaults[n]!.baseUrl])),
      graph: identity.graph.baseUrl,
      entraId: identity.entra.baseUrl,
      arm: identity.arm.baseUrl,
      botConnector: connector.baseUrl,
    };
    writePorts(portsFile, urls);
    const configOverlay: Record<string, string> = {
      ...identity.configOverlay,
      MONGODB_URI: mongoUri,
      AZURE_DEVOPS_ORG_URL: azureDevOps.collectionUrl,
      AZURE_DEVOPS_ENTITLEMENTS_URL: azureDevOps.entitlementsUrl,
      AZURE_DEVOPS_PAT: 'sandbox-pat',
      AZURE_DEVOPS_PROJECTS: DEMO_PROJECTS.map((p) => p.name).join(','),
      AZURE_EXTRA_CA_PATH: identity.tls.caCertPath,
      KEY_VAULT_LAYOUT: 'per-environment',
      KEY_VAULT_URLS: Object.entries(SANDBOX_VAULTS).map(([env, name]) => `${env}=${identity.vaults[name]!.baseUrl}`).join(','),
      KEY_VAULT_NAMES: Object.entries(SANDBOX_VAULTS).map(([env, name]) => `${env}=${name}`).join(','),
      // The bot's app in the stand-in Graph's org catalog, and where chats it opens itself live.
      TEAMS_APP_ID: DEMO_TEAMS_APP.externalId,
      TEAMS_SERVICE_URL: connector.baseUrl,
    };

    return {
      mongoUri,
      azureDevOps,
      connector,
      graph: identity.graph,
      arm: identity.arm,
      playground,
      vaults: Object.fromEntries(Object.entries(SANDBOX_VAULTS).map(([env, name]) => [env, identity.vaults[name]!])),
      configOverlay,
      urls,
      seedCatalogDir: SEED_CATALOG_DIR,
      webhookToken: SANDBOX_WEBHOOK_TOKEN,
      linkHosts: ['contoso.example'],
      platformGroups: DEMO_GROUPS.filter((g) => g.displayName === 'platform-engineers').map((g) => g.displayName),
      describe: (botUrl) => describeSandbox(botUrl, urls, mongoUri),
      stop: async () => {
        for (const c of closables.reverse()) await c.close().catch(() => undefined);
        await mongo?.stop();
      },
    };
  } catch (e) {
    for (const c of closables.reverse()) await c.close().catch(() => undefined);
    await mongo?.stop();
    throw e;
  }
}

function describeSandbox(botUrl: string, urls: Record<string, string>, mongoUri: string) {
  const teamOf = (userId: string) => DEMO_TEAMS.filter((t) => t.memberIds.includes(userId)).map((t) => t.name);
  return {
    mode: 'sandbox',
    bot: { playground: `${botUrl}/playground`, messagesUrl: `${botUrl}/api/messages`, health: `${botUrl}/healthz`, ready: `${botUrl}/readyz` },
    standIns: urls,
    /** Point `npm run catalog -- import` at the running sandbox with MONGODB_URI=<this>. */
    mongoUri,
    catalog: {
      seedLocation: SEED_CATALOG_DIR,
      webhooks: {
        token: SANDBOX_WEBHOOK_TOKEN,
        recordDeployment: `curl -s -X POST ${botUrl}/api/catalog/deployments -H 'authorization: Bearer ${SANDBOX_WEBHOOK_TOKEN}' -H 'content-type: application/json' -d '{"service":"payments-api","environment":"prod","version":"1.4.2","status":"succeeded"}'`,
      },
    },
    tenantId: DEMO_TENANT_ID,
    organisation: DEMO_ORG,
    users: DEMO_USERS.map((u) => ({
      displayName: u.displayName,
      userPrincipalName: u.userPrincipalName,
      aadObjectId: u.id,
      teamsId: u.teamsId,
      jobTitle: u.jobTitle,
      manager: DEMO_USERS.find((m) => m.id === u.managerId)?.userPrincipalName ?? null,
      teams: teamOf(u.id),
    })),
    teams: DEMO_TEAMS.map((t) => ({
      name: t.name,
      displayName: t.displayName,
      groupId: t.id,
      manager: DEMO_USERS.find((u) => u.id === t.managerId)?.userPrincipalName,
      members: t.memberIds.map((id) => DEMO_USERS.find((u) => u.id === id)?.userPrincipalName),
      channelId: t.channelId,
    })),
    groups: DEMO_GROUPS.map((g) => ({ displayName: g.displayName, id: g.id, members: g.memberIds.map((id) => DEMO_USERS.find((u) => u.id === id)?.userPrincipalName) })),
    projects: DEMO_PROJECTS.map((p) => ({ name: p.name, repositories: p.repositories.map((r) => r.name) })),
    tryIt: {
      curl:
        `curl -s -X POST ${botUrl}/api/messages -H 'content-type: application/json' -d '` +
        JSON.stringify({
          type: 'message',
          text: 'help',
          deliveryMode: 'expectReplies',
          channelId: 'msteams',
          serviceUrl: urls.botConnector ?? 'http://localhost',
          from: { id: DEMO_USERS[4]?.teamsId, aadObjectId: DEMO_USERS[4]?.id, name: DEMO_USERS[4]?.displayName },
          recipient: { id: 'bot' },
          conversation: { id: 'a:sandbox-personal', conversationType: 'personal', tenantId: DEMO_TENANT_ID },
        }) +
        `'`,
      emulator: `Open the Bot Framework Emulator, "Open Bot", URL ${botUrl}/api/messages, leave App ID and password empty.`,
    },
  };
}
