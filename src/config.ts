/**
 * The only reader of process.env. One schema, parsed once, frozen.
 * Every key is described here and in .env.example.
 */
import path from 'node:path';
import { z } from 'zod';
import { HEALTH_RULE_IDS, type HealthRuleId } from './domain/catalog-health/health.types';
import { ENTITY_KINDS, type EntityKind } from './domain/catalog/catalog.types';
import { isTimeZone, WEEKDAYS } from './domain/catalog-digest/digest-schedule';

const csv = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

const compiles = (pattern: string): boolean => {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
};

/** Comma-separated catalog kinds, any case, as their canonical names ("component" -> "Component"). */
const entityKinds = csv.superRefine((kinds, ctx) => {
  const unknown = kinds.filter((k) => !ENTITY_KINDS.some((e) => e.toLowerCase() === k.toLowerCase()));
  if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown kind(s) ${unknown.join(', ')}; kinds are ${ENTITY_KINDS.join(', ')}` });
}).transform((kinds) => kinds.map((k) => ENTITY_KINDS.find((e) => e.toLowerCase() === k.toLowerCase()) as EntityKind));

/** Comma-separated health rule ids, any case; an unknown id is refused with the list of ids. */
const healthRuleIds = csv.superRefine((ids, ctx) => {
  const unknown = ids.filter((id) => !(HEALTH_RULE_IDS as readonly string[]).includes(id.toLowerCase()));
  if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown rule id(s) ${unknown.join(', ')}; rules are ${HEALTH_RULE_IDS.join(', ')}` });
}).transform((ids) => ids.map((id) => id.toLowerCase() as HealthRuleId));

/** `env=url,env=url` (environment names lower-cased, each URL a vault's https URL). */
const vaultUrls = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const map: Record<string, string> = {};
    for (const pair of (v ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const at = pair.indexOf('=');
      const env = pair.slice(0, at).trim().toLowerCase();
      const url = pair.slice(at + 1).trim();
      if (at <= 0 || !/^[a-z0-9-]+$/.test(env)) ctx.addIssue({ code: 'custom', message: `"${pair}" is not env=url (environment: letters, digits, dashes)` });
      else if (!isHttpsUrl(url)) ctx.addIssue({ code: 'custom', message: `the vault of ${env} is not an https URL: "${url}"` });
      else if (map[env]) ctx.addIssue({ code: 'custom', message: `environment ${env} is listed twice` });
      else map[env] = url.replace(/\/+$/, '');
    }
    return map;
  });

function isHttpsUrl(v: string): boolean {
  try {
    return new URL(v).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Keys whose presence means "talk to real Azure": their absence selects the sandbox. */
const AZURE_KEYS = ['MicrosoftAppId', 'AZURE_DEVOPS_ORG_URL', 'KEY_VAULT_URL', 'KEY_VAULT_URLS', 'MONGODB_URI'] as const;

const schema = z.object({
  BOT_MODE: z
    .enum(['sandbox', 'production', 'test'])
    .optional()
    .describe('sandbox: start local stand-ins + seed data; production: real Azure, every Azure key required; test: no stand-ins and no required keys (for pointing the bot at stand-ins started elsewhere). Default: sandbox when none of MicrosoftAppId, AZURE_DEVOPS_ORG_URL, KEY_VAULT_URL, KEY_VAULT_URLS, MONGODB_URI is set, else production.'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978).describe('HTTP port of the bot (0 = any free port).'),
  HOST: z.string().default('0.0.0.0').describe('Interface to listen on.'),
  PUBLIC_URL: optionalUrl.describe('Public https base URL of the bot (used for the manifest valid domains and links).'),
  DATA_DIR: z.string().default('./.data').describe('Where the sandbox keeps its store, generated CA and keys.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(256 * 1024).describe('Largest accepted request body (/api/messages, catalog webhooks), compressed bodies refused: larger is answered 413.'),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(10_000).describe('How long SIGTERM waits for in-flight turns.'),

  MicrosoftAppId: optionalString.describe('Bot (Entra app) id. When set, every inbound request must carry a valid Bot Framework JWT.'),
  MicrosoftAppPassword: optionalString.describe('Client secret of the bot app (MultiTenant/SingleTenant).'),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant').describe('Bot app type.'),
  MicrosoftAppTenantId: optionalString.describe('Tenant of the bot app (SingleTenant/UserAssignedMSI).'),
  ALLOWED_TENANT_IDS: csv.describe('Comma-separated Entra tenant ids allowed to talk to the bot (others: 403 before any turn runs); empty = any.'),
  TRUSTED_CHANNELS: csv.describe('Channels whose from.aadObjectId the bot trusts as the acting user for changes (create, confirm, approve, secrets); on others it answers questions only. Default: msteams.'),
  BOT_OPENID_METADATA_URL: optionalUrl.describe('Override of the Bot Framework channel OpenID metadata URL (tests, sovereign clouds).'),
  BOT_TOKEN_ISSUER: optionalString.describe('Override of the expected channel token issuer (tests, sovereign clouds).'),
  BOT_LOGIN_ENDPOINT: optionalUrl.describe('Override of the login endpoint used for outbound connector tokens (tests, sovereign clouds).'),

  TEAMS_APP_ID: optionalString.describe('Teams app (manifest) id; defaults to MicrosoftAppId or a sandbox id. Also the externalId the bot looks up in the org app catalog to install itself for people it has never talked to.'),
  TEAMS_SERVICE_URL: z.url().default('https://smba.trafficmanager.net/teams/').describe('Bot Connector endpoint for 1:1 chats the bot opens itself (after installing its app for someone through Graph).'),

  MONGODB_URI: optionalString.describe('MongoDB / Cosmos DB for MongoDB connection string. Sandbox: an embedded wire-compatible store under DATA_DIR.'),
  MONGODB_DB: z.string().default('idp').describe('Database name.'),

  AZURE_DEVOPS_ORG_URL: optionalUrl.describe('Azure DevOps organisation URL, e.g. https://dev.azure.com/contoso.'),
  AZURE_DEVOPS_PAT: optionalString.describe('Azure DevOps personal access token of the bot identity (secret).'),
  AZURE_DEVOPS_PROJECTS: csv.describe('Azure DevOps projects the bot works in (catalog ingestion, repo creation).'),
  AZURE_DEVOPS_ENTITLEMENTS_URL: optionalUrl.describe('Organisation URL on the Azure DevOps host of user entitlements (onboarding: access level and project groups), e.g. https://vsaex.dev.azure.com/contoso. Default: derived from AZURE_DEVOPS_ORG_URL when it is https://dev.azure.com/<org> (or https://<org>.visualstudio.com); required in production otherwise.'),
  KEY_VAULT_URL: optionalUrl.describe('Key Vault URL, e.g. https://kv-idp.vault.azure.net. With the per-environment layout and KEY_VAULT_URLS empty, every environment\'s secrets go to this one vault.'),
  KEY_VAULT_LAYOUT: z
    .enum(['per-environment', 'per-service-environment'])
    .default('per-environment')
    .describe('Which vault holds a secret: per-environment (one vault per environment, KEY_VAULT_URLS; the workload\'s role is assigned on the secret) or per-service-environment (one vault per service and environment, KEY_VAULT_URL_TEMPLATE; the role is assigned on the vault, as Microsoft recommends).'),
  KEY_VAULT_URLS: vaultUrls.describe('The vault of each environment for the per-environment layout, comma-separated env=url, e.g. dev=https://kv-dev.vault.azure.net,prod=https://kv-prod.vault.azure.net. An environment not listed has no vault (refused), unless the list is empty and KEY_VAULT_URL is set.'),
  KEY_VAULT_URL_TEMPLATE: optionalString
    .refine((v) => v === undefined || (v.includes('{service}') && v.includes('{env}') && isHttpsUrl(v.replace(/\{(service|env)\}/g, 'x'))), 'must be an https URL containing {service} and {env}')
    .describe('The vault URL of a service and environment for the per-service-environment layout, e.g. https://kv-{service}-{env}.vault.azure.net (a vault name is 3-24 letters, digits and dashes).'),
  KEY_VAULT_NAMES: csv.describe('The Azure resource name of each environment\'s vault, comma-separated env=name (for the role-assignment scope), when it is not the first label of the vault\'s host (kv-dev in https://kv-dev.vault.azure.net). The sandbox sets it.'),
  SECRET_APPROVAL_ENVIRONMENTS: csv.transform((v) => (v.length ? v.map((e) => e.toLowerCase()) : ['prod'])).describe('Environments whose new secrets need an approval by another member of the owning team.'),
  SECRET_DEFAULT_EXPIRY_DAYS: z.coerce.number().int().min(0).max(3650).default(365).describe('Days until a new secret expires when the request names no expiry (0: never).'),
  SECRET_NAME_CONVENTION: z.string().default('{service}--{env}--{name}').describe('How a secret is named in Key Vault; {service} is the service\'s secret prefix (idp.dev/keyvault-secret-prefix) or name.'),
  SECRET_VALUE_LENGTH: z.coerce.number().int().min(16).max(1024).default(40).describe('Length of generated secret values.'),
  SECRET_VALUE_ALPHABET: z.string().min(2).max(256).default('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_').describe('Characters generated secret values are drawn from.'),
  SECRET_ROTATION_GRACE_HOURS: z.coerce.number().min(0).max(8760).default(24).describe('Hours the previous versions of a rotated secret stay enabled before they are disabled (0: at the next sweep).'),
  SECRET_ROTATION_SWEEP_MINUTES: z.coerce.number().min(1).max(1440).default(15).describe('How often rotated secrets whose grace period is over get their previous versions disabled (one replica per run).'),
  SECRET_EXPIRY_CHECK_HOURS: z.coerce.number().min(0.1).max(24 * 7).default(24).describe('How often (hours) one replica lists every vault and sends the owning team of each secret near its expiry a reminder card (Rotate / Extend / Snooze).'),
  SECRET_EXPIRY_THRESHOLDS_DAYS: csv
    .transform((v) => (v.length ? v : ['30', '7', '1']))
    .pipe(z.array(z.string().regex(/^\d{1,3}$/, 'whole days').transform(Number).pipe(z.number().int().min(1).max(365))).min(1))
    .describe('Days before a secret expires at which its team is reminded, once each (comma-separated; default 30,7,1). An expired secret gets one more reminder.'),
  SECRETS_PIPELINE_SERVICE_CONNECTION: z.string().min(1).max(256).default('azure-key-vault').describe('The Azure Resource Manager service connection (in each service\'s Azure DevOps project) through which pipelines read Key Vault: secret pipeline variables are linked into vg-<service>-<env>-secrets with it. Its identity needs Get and List on secrets (Key Vault Secrets User) of the vaults.'),
  KEY_VAULT_POLL_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000).describe('How often a secret delete or recover is checked until Key Vault finishes it.'),
  AZURE_TENANT_ID: optionalString.describe('Tenant for the bot identity used against Key Vault and Graph.'),
  AZURE_CLIENT_ID: optionalString.describe('Client id of the identity used against Key Vault and Graph.'),
  AZURE_CLIENT_SECRET: optionalString.describe('Client secret of that identity (omit on AKS with workload identity).'),
  AZURE_AUTHORITY_HOST: z.url().default('https://login.microsoftonline.com').describe('Entra authority host.'),
  GRAPH_BASE_URL: z.url().default('https://graph.microsoft.com').describe('Microsoft Graph base URL (without version).'),
  ARM_BASE_URL: z.url().default('https://management.azure.com').describe('Azure Resource Manager endpoint the bot makes role assignments through (a workload identity gets "Key Vault Secrets User" on the vault or secret it needs).'),
  AZURE_SUBSCRIPTION_ID: optionalString.describe('Azure subscription holding the key vaults (ARM role assignment scopes are built from it).'),
  KEY_VAULT_RESOURCE_GROUP: optionalString.describe('Resource group of the key vaults in AZURE_SUBSCRIPTION_ID (ARM role assignment scopes: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<vault>).'),
  AZURE_EXTRA_CA_PATH: optionalString.describe('PEM file of an extra CA trusted for Azure endpoints (the sandbox sets it; rarely needed in production).'),
  PLATFORM_GROUPS: csv.describe('Directory group names whose members may act for any team.'),

  REPO_NAME_PATTERN: optionalString.refine((v) => v === undefined || compiles(v), 'is not a valid regular expression').describe('Naming convention of new repositories as a regular expression matched against the whole name. Empty: lower-case kebab-case starting with a letter (every rule broken gets its own reason).'),
  REPO_NAME_MAX_LENGTH: z.coerce.number().int().min(3).max(63).default(50).describe('Longest repository name accepted (63 at most: the catalog\'s limit).'),
  REPO_RESERVED_NAMES: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean)))
    .describe('Comma-separated names refused for new repositories (case-insensitive). Unset or empty: admin, api, app, main, master, test, tmp and similar.'),
  REPO_MIN_REVIEWERS: z.coerce.number().int().min(1).max(10).default(2).describe('Approvals a pull request needs on the default branch of a new repository; the author\'s own vote never counts.'),
  REPO_DEFAULT_BRANCH: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/).default('main').describe('Default branch of new repositories (first commit, branch policies, pipeline trigger).'),
  PIPELINE_CONTAINER_REGISTRY: z.string().default('contoso.azurecr.io').describe('Container registry login server the golden-path pipelines push images to (set your own).'),
  PIPELINE_REGISTRY_CONNECTION: z.string().default('container-registry').describe('Name of the Azure DevOps Docker Registry service connection the pipelines use to push.'),
  REPO_JOB_STEP_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3).describe('Runs of a repository job step on transient Azure DevOps failures (each run already retries its calls with backoff) before the card offers Retry.'),

  CATALOG_LOCATIONS: csv.describe('Comma-separated catalog-info.yaml files or folders imported at start and every CATALOG_REFRESH_MINUTES.'),
  CATALOG_REFRESH_MINUTES: z.coerce.number().positive().default(15).describe('How often catalog locations and Azure DevOps repositories are re-read.'),
  CATALOG_INDEX_REFRESH_MS: z.coerce.number().int().positive().default(3000).describe('How often each replica checks the store for catalog changes to refresh its search index.'),
  CATALOG_IMPORT_AZURE_DEVOPS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe('Also import catalog-info.yaml from the root of every repository of AZURE_DEVOPS_PROJECTS.'),
  LINK_HOSTS: csv.describe('Hosts cards may link to besides Azure DevOps and Teams: dashboards, logs, runbooks, API docs, e.g. grafana.contoso.com,contoso.com (sub-domains of a listed host are included). Any other URL from the catalog or a webhook is shown as text.'),
  UNFURL_DOMAINS: csv.describe('Extra domains whose pasted links the bot unfurls into ownership cards (dashboards, logs, runbooks), e.g. grafana.contoso.com,*.logs.contoso.com. Azure DevOps is always included.'),
  CATALOG_FACT_KINDS: entityKinds.describe('Comma-separated catalog kinds that take deployment and on-call facts from the webhooks; others are answered 400. Empty: Component,Resource.'),
  HEALTH_RULES_DISABLED: healthRuleIds.describe(`Comma-separated catalog health rule ids that do not run (${HEALTH_RULE_IDS.join(', ')}). Empty: every rule runs.`),
  HEALTH_DESCRIPTOR_STALE_MONTHS: z.coerce.number().int().min(1).max(120).default(12).describe('descriptor-stale: months since the last commit of an entity\'s catalog-info.yaml in Azure DevOps (file imports have no commit date and are not checked).'),
  HEALTH_DEPLOYMENT_STALE_DAYS: z.coerce.number().int().min(1).max(3650).default(90).describe('deployment-stale: days without a recorded deployment before a production Component is reported.'),
  HEALTH_RUN_EVERY_HOURS: z.coerce.number().positive().max(24 * 31).default(24).describe('How often the catalog health run happens (one replica per period, slots counted from the epoch in UTC: 24 = every day at 00:00 UTC).'),
  HEALTH_RUNS_KEPT: z.coerce.number().int().min(1).max(1000).default(30).describe('Catalog health runs kept for trends and the digest (older ones are deleted after each run).'),
  HEALTH_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(8).describe('Microsoft Graph and Azure DevOps calls a health run makes at once (one per owner group, one per descriptor file).'),
  DIGEST_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe('Send the weekly catalog digest: each owning team gets its failing health checks in its Teams channel (or its members 1:1).'),
  DIGEST_DAY: z
    .string()
    .default('monday')
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(WEEKDAYS))
    .describe('Day of the week the catalog digest is sent (monday ... sunday).'),
  DIGEST_TIME: z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24 h)').default('09:00').describe('Time of day (HH:MM, 24 h) the catalog digest is sent, in DIGEST_TIMEZONE.'),
  DIGEST_TIMEZONE: z.string().default('UTC').refine(isTimeZone, 'is not a time zone (e.g. UTC, Europe/Paris)').describe('IANA time zone of DIGEST_DAY and DIGEST_TIME (a zone with daylight saving is read at its offset when the bot starts).'),
  DIGEST_ALL_GOOD: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Also send a short "all good" digest to teams with nothing failing (default: they get nothing).'),
  DIGEST_MAX_PER_RULE: z.coerce.number().int().min(1).max(50).default(5).describe('Failing checks listed per rule on a digest card before "and N more" (fewer when the card would exceed Teams\' size limit).'),
  APPROVAL_REMIND_AFTER_HOURS: z.coerce.number().min(0).max(24 * 30).default(24).describe('Hours after which (and then how often) approvers of a pending approval request are reminded in their 1:1 chat; 0: never.'),
  APPROVAL_EXPIRE_AFTER_DAYS: z.coerce.number().positive().max(90).default(7).describe('Days after which an undecided approval request expires (the requester is told).'),
  ONBOARDING_WELCOME_RETRY_MINUTES: z.coerce.number().positive().max(24 * 60).default(30).describe('How often one replica tries again to send the welcome cards of joiners the bot could not reach yet (their first message sends it at once).'),
  APPROVAL_SWEEP_MINUTES: z.coerce.number().positive().max(24 * 60).default(5).describe('How often one replica sends due approval reminders and expires overdue requests.'),
  ONBOARDING_SETTINGS_FILE: optionalString.describe('YAML file of onboarding settings (roles with their tools and dev container, guides, the first-week checklist, devopsAccessLevel, requesterGroups); each top-level key given replaces the built-in default. Unset: the defaults. A bad file stops the start with the field named.'),
  CATALOG_WEBHOOK_TOKEN: optionalString.describe('Bearer token pipelines use on POST /api/catalog/deployments and /api/catalog/oncall (secret). Unset: the endpoints are off.'),
  METRICS_TOKEN: optionalString.describe('Bearer token a Prometheus scraper must send on GET /metrics (secret). Unset: /metrics answers without one (it is reached inside the cluster only: the HTTPRoute forwards /api/messages alone).'),
  PLATFORM_METRICS_TOKEN: optionalString.describe('Bearer token for GET /api/platform/metrics?days=N, the platform metrics as JSON (secret). Unset: the endpoint is off (404).'),
});

export type RawConfig = z.infer<typeof schema>;
export type BotMode = 'sandbox' | 'production' | 'test';
export type Config = Readonly<RawConfig & { mode: BotMode; dataDir: string }>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parse and check; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  // Required-key checks run even when some values are malformed: one message lists everything.
  const raw = (parsed.success ? parsed.data : env) as RawConfig;
  const declared = env.BOT_MODE as BotMode | undefined;
  const present = (v: unknown): boolean => (v && typeof v === 'object' ? Object.keys(v).length > 0 : Boolean(v)); // KEY_VAULT_URLS parses to {}
  const mode: BotMode = declared ?? (AZURE_KEYS.some((k) => present(raw[k])) ? 'production' : 'sandbox');
  if (mode === 'production') problems.push(...productionProblems(raw));
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  return Object.freeze({ ...withDerivedUrls(parsed.data), mode, dataDir: path.resolve(parsed.data.DATA_DIR) });
}

/** What `npm run db:migrate` reads: the store settings only, whatever else the bot's environment holds or lacks. */
export type StoreConfig = Readonly<Pick<RawConfig, 'MONGODB_URI' | 'MONGODB_DB'>>;

export function loadStoreConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const parsed = schema.pick({ MONGODB_URI: true, MONGODB_DB: true }).safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return Object.freeze(parsed.data);
}

/**
 * The entitlements host of an Azure DevOps Services organisation URL: https://dev.azure.com/<org> ->
 * https://vsaex.dev.azure.com/<org>, https://<org>.visualstudio.com -> https://<org>.vsaex.visualstudio.com;
 * undefined for any other URL (Azure DevOps Server, a stand-in), which must name it.
 */
export function entitlementsUrlFor(orgUrl: string | undefined): string | undefined {
  if (!orgUrl) return undefined;
  const url = new URL(orgUrl);
  const org = url.pathname.split('/').filter(Boolean);
  if (url.protocol !== 'https:') return undefined;
  if (url.hostname.toLowerCase() === 'dev.azure.com' && org.length === 1) return `https://vsaex.dev.azure.com/${org[0]}`;
  const legacy = /^([a-z0-9-]+)\.visualstudio\.com$/i.exec(url.hostname);
  if (legacy && org.length === 0) return `https://${legacy[1]}.vsaex.visualstudio.com`;
  return undefined;
}

function withDerivedUrls<T extends Pick<RawConfig, 'AZURE_DEVOPS_ORG_URL' | 'AZURE_DEVOPS_ENTITLEMENTS_URL'>>(config: T): T {
  return { ...config, AZURE_DEVOPS_ENTITLEMENTS_URL: config.AZURE_DEVOPS_ENTITLEMENTS_URL ?? entitlementsUrlFor(config.AZURE_DEVOPS_ORG_URL) };
}

function productionProblems(raw: RawConfig): string[] {
  const problems: string[] = [];
  const required: (keyof RawConfig)[] = ['MicrosoftAppId', 'MONGODB_URI', 'AZURE_DEVOPS_ORG_URL', 'AZURE_DEVOPS_PAT', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID'];
  for (const key of required) if (!raw[key]) problems.push(`${key}: required in production mode`);
  if (raw.AZURE_DEVOPS_ORG_URL && !raw.AZURE_DEVOPS_ENTITLEMENTS_URL && !safeEntitlementsUrlFor(raw.AZURE_DEVOPS_ORG_URL))
    problems.push('AZURE_DEVOPS_ENTITLEMENTS_URL: required in production mode when AZURE_DEVOPS_ORG_URL is not https://dev.azure.com/<org>');
  const appType = raw.MicrosoftAppType ?? 'MultiTenant';
  if (appType !== 'UserAssignedMSI' && raw.MicrosoftAppId && !raw.MicrosoftAppPassword)
    problems.push('MicrosoftAppPassword: required for MultiTenant/SingleTenant bots');
  if (appType !== 'MultiTenant' && !raw.MicrosoftAppTenantId)
    problems.push('MicrosoftAppTenantId: required for SingleTenant/UserAssignedMSI bots');
  if (raw.KEY_VAULT_LAYOUT === 'per-service-environment' && !raw.KEY_VAULT_URL_TEMPLATE)
    problems.push('KEY_VAULT_URL_TEMPLATE: required with KEY_VAULT_LAYOUT=per-service-environment');
  problems.push(...secretsProblems(raw));
  return problems;
}

/**
 * The secrets commands need a vault, its subscription and resource group (the role-assignment
 * scope); with only some of them they would silently not exist. All or none, in production.
 */
function secretsProblems(raw: RawConfig): string[] {
  const has = (v: unknown): boolean => (v && typeof v === 'object' ? Object.keys(v).length > 0 : Boolean(v));
  const vault = has(raw.KEY_VAULT_URLS) || has(raw.KEY_VAULT_URL) || has(raw.KEY_VAULT_URL_TEMPLATE);
  const parts: [string, boolean][] = [['KEY_VAULT_URLS (or KEY_VAULT_URL / KEY_VAULT_URL_TEMPLATE)', vault], ['AZURE_SUBSCRIPTION_ID', has(raw.AZURE_SUBSCRIPTION_ID)], ['KEY_VAULT_RESOURCE_GROUP', has(raw.KEY_VAULT_RESOURCE_GROUP)]];
  if (!parts.some(([, set]) => set) || parts.every(([, set]) => set)) return [];
  return parts.filter(([, set]) => !set).map(([key]) => `${key}: required in production mode for the secrets commands once any of ${parts.map(([k]) => k.split(' ')[0]).join(', ')} is set (set them all, or none to run without secrets)`);
}

/** A malformed org URL is reported by the schema already; here it only derives nothing. */
function safeEntitlementsUrlFor(orgUrl: string): string | undefined {
  try {
    return entitlementsUrlFor(orgUrl);
  } catch {
    return undefined;
  }
}

/** The config with some keys replaced, parsed by the same schema (the sandbox points URLs at its stand-ins). */
export function withOverrides(config: Config, overrides: Record<string, string>): Config {
  const parsed = schema.partial().parse(overrides);
  const defined = Object.fromEntries(Object.entries(parsed).filter(([k, v]) => v !== undefined && k in overrides));
  // A new org URL without its entitlements host re-derives it rather than keeping the old org's.
  const derived = 'AZURE_DEVOPS_ORG_URL' in defined && !('AZURE_DEVOPS_ENTITLEMENTS_URL' in defined) ? { AZURE_DEVOPS_ENTITLEMENTS_URL: entitlementsUrlFor(defined.AZURE_DEVOPS_ORG_URL as string) } : {};
  return Object.freeze({ ...config, ...defined, ...derived });
}

/** Key -> description, for the README table and `--help`. */
export function describeConfig(): { key: string; description: string }[] {
  return Object.entries(schema.shape).map(([key, s]) => ({ key, description: (s as z.ZodType).description ?? '' }));
}
