/**
 * Starts the https stand-ins that speak for Azure identity and data: Entra ID (tokens), Key Vault
 * (secrets), Microsoft Graph (directory, Teams, workload identities) and Azure Resource Manager
 * (role assignments, which asks Graph's directory whether a principal exists), sharing one
 * sandbox certificate, and returns what the real clients need to reach them:
 *
 *   const ids = await startIdentityStandIns({ dataDir, tenantId: DEMO_TENANT_ID, clients: [{ clientId, clientSecret }] });
 *   const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, ids.credentialOptions);
 *   const secrets = new SecretClient(ids.keyVault.baseUrl, credential, ids.secretClientOptions);
 *   const directory = new GraphDirectory({ credential, ...ids.graphClientOptions });
 *   ...
 *   await ids.close();
 *
 * Every client gets the Graph application permissions of GRAPH_APP_ROLES unless it lists its own.
 * With `vaults: ['kv-dev', 'kv-staging', 'kv-prod']` there is one Key Vault stand-in per name, each
 * its own https origin (Azure gives every vault its own host): `ids.vaults['kv-prod']`; `keyVault`
 * is the first. The first keeps the single vault's state file and port key, so a data dir of an
 * earlier run keeps its secrets.
 */
import path from 'node:path';
import { DEMO_AZURE } from '../seed/demo-org';
import { ensureSandboxTls, sandboxClientOptions, type SandboxTls, type SandboxTlsOptions } from '../tls';
import { EntraIdStandIn } from './entra-id.standin';
import { GRAPH_APP_ROLES, GraphStandIn } from './graph.standin';
import { KeyVaultStandIn } from './key-vault.standin';
import { ArmStandIn } from './arm.standin';

export interface IdentityStandInsOptions {
  /** The certificate is kept under `<dataDir>/tls` and reused on the next start. */
  dataDir: string;
  tenantId: string;
  clients: { clientId: string; clientSecret: string; displayName?: string; roles?: string[] }[];
  /** Ports to listen on when free (e.g. the previous run's); any free port otherwise, and by default. */
  ports?: { entra?: number; keyVault?: number; graph?: number; arm?: number; vaults?: Record<string, number> };
  /** The Azure subscription ARM holds (role assignment scopes are under it) and the key vaults' resource group. */
  azure?: { subscriptionId: string; keyVaultResourceGroup: string };
  /** Apps allowed to write role assignments; default: every client listed. */
  assignerClientIds?: string[];
  /** Names of the Key Vault stand-ins to start (one origin each); default one vault, kv-sandbox. */
  vaults?: string[];
  /** Where Key Vault and Graph keep what they hold across restarts; without it, in memory only. */
  stateDir?: string;
}

export interface IdentityStandIns {
  entra: EntraIdStandIn;
  /** The first vault (the only one unless `vaults` names more). */
  keyVault: KeyVaultStandIn;
  /** Every vault by name. */
  vaults: Record<string, KeyVaultStandIn>;
  graph: GraphStandIn;
  arm: ArmStandIn;
  tls: SandboxTls;
  /** For ClientSecretCredential (and any @azure/identity credential). */
  credentialOptions: { authorityHost: string; disableInstanceDiscovery: true; tlsOptions: SandboxTlsOptions };
  /** For SecretClient: the vault's host is not *.vault.azure.net, so skip that challenge check. */
  secretClientOptions: { disableChallengeResourceVerification: true; tlsOptions: SandboxTlsOptions };
  /** For createGraphClient / GraphDirectory. */
  graphClientOptions: { baseUrl: string; ca: string };
  /** For ArmRoleAssignments. */
  armClientOptions: { baseUrl: string; tlsOptions: SandboxTlsOptions };
  /** Config keys that point the app at the stand-ins (the CA itself is `tls.caCertPath`). */
  configOverlay: Record<string, string>;
  close(): Promise<void>;
}

const DEFAULT_AZURE = { subscriptionId: DEMO_AZURE.subscriptionId, keyVaultResourceGroup: DEMO_AZURE.keyVaultResourceGroup };

export async function startIdentityStandIns(options: IdentityStandInsOptions): Promise<IdentityStandIns> {
  const tls = ensureSandboxTls(path.join(options.dataDir, 'tls'));
  const serverTls = { key: tls.keyPem, cert: tls.certPem };
  const entra = new EntraIdStandIn({
    tenantId: options.tenantId,
    tls: serverTls,
    apps: options.clients.map((c) => ({ ...c, roles: c.roles ?? GRAPH_APP_ROLES })),
  });
  const names = options.vaults?.length ? options.vaults : ['kv-sandbox'];
  if (new Set(names).size !== names.length) throw new Error(`Key Vault stand-in names must differ: ${names.join(', ')}`);
  const vaults = Object.fromEntries(names.map((vaultName) => [vaultName, new KeyVaultStandIn({ entra, tls: serverTls, vaultName })]));
  const keyVault = vaults[names[0]!]!;
  const graph = new GraphStandIn({ entra, tls: serverTls });
  const azure = options.azure ?? DEFAULT_AZURE;
  const arm = new ArmStandIn({
    entra,
    tls: serverTls,
    subscriptionId: azure.subscriptionId,
    principalTypeOf: (id) => graph.directoryObjectType(id),
    assignerClientIds: options.assignerClientIds ?? options.clients.map((c) => c.clientId),
  });
  if (options.stateDir) {
    for (const [i, name] of names.entries()) vaults[name]!.keepStateIn(path.join(options.stateDir, i === 0 ? 'key-vault.json' : `key-vault-${name}.json`));
    graph.keepStateIn(path.join(options.stateDir, 'graph.json'));
    arm.keepStateIn(path.join(options.stateDir, 'arm.json'));
  }
  const started: { close(): Promise<void> }[] = [];
  const close = async () => {
    for (const s of started.reverse()) await s.close().catch(() => undefined);
  };
  try {
    await entra.startPreferring(options.ports?.entra);
    started.push(entra);
    for (const [i, name] of names.entries()) {
      await vaults[name]!.startPreferring(i === 0 ? options.ports?.keyVault : options.ports?.vaults?.[name]);
      started.push(vaults[name]!);
    }
    await graph.startPreferring(options.ports?.graph);
    started.push(graph);
    await arm.startPreferring(options.ports?.arm);
    started.push(arm);
  } catch (e) {
    await close();
    throw e;
  }

  const { tlsOptions } = sandboxClientOptions(tls.caCertPem);
  const first = options.clients[0];
  return {
    entra,
    keyVault,
    vaults,
    graph,
    arm,
    tls,
    credentialOptions: { authorityHost: entra.baseUrl, disableInstanceDiscovery: true, tlsOptions },
    secretClientOptions: { disableChallengeResourceVerification: true, tlsOptions },
    graphClientOptions: { baseUrl: graph.baseUrl, ca: tls.caCertPem },
    armClientOptions: { baseUrl: arm.baseUrl, tlsOptions },
    configOverlay: {
      AZURE_TENANT_ID: options.tenantId,
      AZURE_AUTHORITY_HOST: entra.baseUrl,
      KEY_VAULT_URL: keyVault.baseUrl,
      GRAPH_BASE_URL: graph.baseUrl,
      ARM_BASE_URL: arm.baseUrl,
      AZURE_SUBSCRIPTION_ID: azure.subscriptionId,
      KEY_VAULT_RESOURCE_GROUP: azure.keyVaultResourceGroup,
      ...(first ? { AZURE_CLIENT_ID: first.clientId, AZURE_CLIENT_SECRET: first.clientSecret } : {}),
    },
    close,
  };
}
