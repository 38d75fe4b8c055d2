/**
 * infra/azure. The Bicep compiler cannot be installed on the build machines: when a `bicep` binary
 * is on PATH every file is built with it, otherwise that test is skipped with a note. Either way
 * the files are read (param / output / resource / module lines) and checked against
 * src/config.ts and infra/README.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describeConfig } from '../../src/config';
import { readBicep, type BicepFile } from '../helpers/infra/bicep-reader';
import { ROOT } from '../helpers/infra/start-command';

const AZURE = path.join(ROOT, 'infra', 'azure');
const files = ['main.bicep', ...readdirSync(path.join(AZURE, 'modules')).map((f) => `modules/${f}`)].filter((f) => f.endsWith('.bicep'));
const read: Record<string, BicepFile> = Object.fromEntries(files.map((f) => [f, readBicep(path.join(AZURE, f))]));
const main = read['main.bicep']!;
const readme = readFileSync(path.join(ROOT, 'infra', 'README.md'), 'utf8');
const CONFIG_KEYS = new Set(describeConfig().map((d) => d.key));
const allResources = Object.values(read).flatMap((f) => f.resources);

const hasBicep = (() => {
  try {
    execFileSync('bicep', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasBicep) console.warn('infra/azure: no `bicep` binary on PATH, so the files are not compiled here (install the Bicep CLI to run that test); the offline checks below still run.');

describe('infra/azure', () => {
  (hasBicep ? test : test.skip).each(files)('bicep build %s', (file) => {
    expect(() => execFileSync('bicep', ['build', path.join(AZURE, file), '--stdout'], { stdio: 'pipe' })).not.toThrow();
  });

  test('declares the resources the issue names, with dated API versions', () => {
    const types = new Set(allResources.map((r) => r.type));
    for (const type of [
      'Microsoft.BotService/botServices', 'Microsoft.BotService/botServices/channels',
      'Microsoft.ContainerService/managedClusters', 'Microsoft.ContainerRegistry/registries',
      'Microsoft.ManagedIdentity/userAssignedIdentities', 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
      'Microsoft.KeyVault/vaults', 'Microsoft.KeyVault/vaults/secrets', 'Microsoft.Authorization/roleAssignments',
      'Microsoft.DocumentDB/mongoClusters', 'Microsoft.OperationalInsights/workspaces', 'Microsoft.Insights/components',
    ]) expect([type, types.has(type)]).toEqual([type, true]);
    for (const r of allResources) expect(r.apiVersion).toMatch(/^\d{4}-\d{2}-\d{2}(-preview)?$/);
    expect(allResources.filter((r) => r.apiVersion.endsWith('-preview'))).toEqual([]);
  });

  test('the bot is a user-assigned managed identity bot with the Teams channel', () => {
    const text = read['modules/bot-service.bicep']!.text;
    expect(text).toMatch(/msaAppType: 'UserAssignedMSI'/);
    expect(text).toMatch(/msaAppMSIResourceId: identityResourceId/);
    expect(text).toMatch(/channelName: 'MsTeamsChannel'/);
    expect(Object.values(read).some((f) => /MultiTenant/.test(f.text.replace(/\/\/.*$/gm, '')))).toBe(false);
  });

  test('AKS has the OIDC issuer, workload identity and the Key Vault CSI add-on; the identity federates with the bot\'s service account', () => {
    const aks = read['modules/aks.bicep']!.text;
    expect(aks).toMatch(/oidcIssuerProfile: \{ enabled: true \}/);
    expect(aks).toMatch(/workloadIdentity: \{ enabled: true \}/);
    expect(aks).toMatch(/azureKeyvaultSecretsProvider: \{\s*enabled: true/);
    expect(read['modules/identity.bicep']!.text).toMatch(/subject: 'system:serviceaccount:\$\{kubernetesNamespace\}:\$\{serviceAccountName\}'/);
    const k8sSa = readFileSync(path.join(ROOT, 'infra', 'k8s', 'base', 'serviceaccount.yaml'), 'utf8');
    const overlay = readFileSync(path.join(ROOT, 'infra', 'k8s', 'overlays', 'prod', 'kustomization.yaml'), 'utf8');
    expect(main.text).toMatch(new RegExp(`param serviceAccountName string = '${/name: (\S+)/.exec(k8sSa)![1]}'`));
    expect(main.text).toMatch(new RegExp(`param kubernetesNamespace string = '${/^namespace: (\S+)/m.exec(overlay)![1]}'`));
  });

  test('vaults are in RBAC mode; the bot is Secrets Officer and a Data Access Administrator limited to Secrets User where it writes', () => {
    for (const file of ['modules/environment-vault.bicep', 'modules/bot-vault.bicep']) expect(read[file]!.text).toMatch(/enableRbacAuthorization: true/);
    const env = read['modules/environment-vault.bicep']!.text;
    expect(env).toContain("'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'"); // Key Vault Secrets Officer
    expect(env).toContain("'8b54135c-b56d-4d72-a534-26097cfdc8d8'"); // Key Vault Data Access Administrator
    expect(env).toMatch(/condition: onlySecretsUser/);
    expect(env).toContain("'4633458b-17de-408a-b874-0445c86b69e6'"); // Key Vault Secrets User, the only role it may grant
    expect(read['modules/bot-vault.bicep']!.text).toContain("'4633458b-17de-408a-b874-0445c86b69e6'");
  });

  test('the bot vault holds exactly the secrets the SecretProviderClass reads', () => {
    const spc = readFileSync(path.join(ROOT, 'infra', 'k8s', 'base', 'secret-provider-class.yaml'), 'utf8');
    const mounted = [...spc.matchAll(/^ {10}objectName: (\S+)/gm)].map((m) => m[1]).sort();
    const written = Object.values(read).flatMap((f) => [...f.text.matchAll(/parent: vault\s+name: '([^']+)'/g)].map((m) => m[1])).sort();
    expect(written).toEqual(mounted);
  });

  test('every parameter is described; secrets are secure parameters and never outputs', () => {
    for (const [file, f] of Object.entries(read)) for (const p of f.params) expect([file, p.name, p.decorators.some((d) => d.startsWith('@description('))]).toEqual([file, p.name, true]);
    for (const name of ['azureDevOpsPat', 'catalogWebhookToken', 'existingMongoUri', 'mongoAdministratorPassword']) expect(main.params.find((p) => p.name === name)?.decorators).toContain('@secure()');
    for (const o of Object.values(read).flatMap((f) => f.outputs)) expect(o.name).not.toMatch(/password|secret|token|pat$|connectionstring|mongo.*uri/i);
  });

  test('modules exist and get every parameter they need, and only those', () => {
    for (const [file, f] of Object.entries(read)) for (const m of f.modules) {
      const target = path.join(path.dirname(path.join(AZURE, file)), m.path);
      expect(existsSync(target)).toBe(true);
      const declared = readBicep(target).params;
      const required = declared.filter((p) => !p.hasDefault).map((p) => p.name).sort();
      expect([m.name, m.passed.filter((p) => !declared.some((d) => d.name === p))]).toEqual([m.name, []]);
      expect([m.name, required.filter((p) => !m.passed.includes(p))]).toEqual([m.name, []]);
    }
  });

  test('outputs named like configuration keys are keys of src/config.ts, and include what the bot needs', () => {
    const configOutputs = main.outputs.map((o) => o.name).filter((n) => /^[A-Z]/.test(n));
    for (const name of configOutputs) expect([name, CONFIG_KEYS.has(name)]).toEqual([name, true]);
    for (const key of ['MicrosoftAppId', 'MicrosoftAppTenantId', 'MicrosoftAppType', 'AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'KEY_VAULT_URLS', 'KEY_VAULT_NAMES', 'AZURE_SUBSCRIPTION_ID', 'KEY_VAULT_RESOURCE_GROUP', 'PUBLIC_URL']) expect(configOutputs).toContain(key);
    const configMap = readFileSync(path.join(ROOT, 'infra', 'k8s', 'overlays', 'prod', 'config.yaml'), 'utf8');
    for (const name of configOutputs.filter((n) => !['MicrosoftAppType', 'KEY_VAULT_LAYOUT', 'MONGODB_DB'].includes(n))) expect([name, configMap.includes(`${name}:`)]).toEqual([name, true]);
  });

  test('infra/README.md names every parameter and output of main.bicep', () => {
    for (const p of main.params) expect([p.name, readme.includes(p.name)]).toEqual([p.name, true]);
    for (const o of main.outputs) expect([o.name, readme.includes(o.name)]).toEqual([o.name, true]);
  });
});
