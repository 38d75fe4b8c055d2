/**
 * What every PipelineVariables must do, run against the in-memory fake (test/unit/pipeline-variables.contract.test.ts)
 * and against the Azure DevOps adapter + stand-in (test/integration/pipeline-variables.contract.int.test.ts).
 * Each test gets a fresh subject: the demo projects, the service connection `azure-key-vault` shared
 * with all of them, and the group vg-payments-api-dev as create-repo makes it (two plain variables).
 */
import type { PipelineVariables } from '../../src/domain/secrets/pipeline-variables.port';
import { SecretValue } from '../../src/domain/secrets/secret-value';
import { createHash } from 'node:crypto';
import { domainFailure } from '../helpers/domain-failure';

export const CONTRACT_SERVICE_CONNECTION = 'azure-key-vault';
export const CONTRACT_GROUP = { project: 'Payments', name: 'vg-payments-api-dev', variables: { ENVIRONMENT: 'dev', SERVICE_NAME: 'payments-api' } };

export interface PipelineVariablesUnderTest {
  variables: PipelineVariables;
  /** The SHA-256 of the secret value the service holds (never the value). */
  secretDigest(project: string, group: string, name: string): Promise<string | undefined>;
  /** A plain group made elsewhere (as create-repo makes them, or an empty one a person made). */
  seedGroup(project: string, name: string, variables: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

const CANARY = 'pv-canary-7f3a9c0e-value';
const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const LINK = { serviceConnection: CONTRACT_SERVICE_CONNECTION, vaultName: 'kv-payments-dev', secretNames: ['payments-api--dev--db-password'] };

export function pipelineVariablesContract(name: string, make: () => Promise<PipelineVariablesUnderTest>): void {
  describe(`PipelineVariables contract: ${name}`, () => {
    let subject: PipelineVariablesUnderTest;
    let pv: PipelineVariables;
    const { project } = CONTRACT_GROUP;
    const group = CONTRACT_GROUP.name;

    beforeEach(async () => {
      subject = await make();
      pv = subject.variables;
    });
    afterEach(async () => subject?.close());

    it('lists a group by name in any case: plain variables with their values, sorted; null for a group that is not there', async () => {
      const listed = await pv.list(project, group.toUpperCase());
      expect(listed).toMatchObject({ name: group, kind: 'plain', variables: [{ name: 'ENVIRONMENT', isSecret: false, value: 'dev' }, { name: 'SERVICE_NAME', isSecret: false, value: 'payments-api' }] });
      expect(listed!.keyVault).toBeUndefined();
      expect(await pv.list(project, 'vg-nothing-dev')).toBeNull();
    });

    it('sets a plain variable, keeping the others; the same value again changes nothing', async () => {
      expect(await pv.setVariable(project, group, 'LOG_LEVEL', 'debug')).toEqual({ groupCreated: false, variableCreated: true, changed: true });
      expect(await pv.setVariable(project, group, 'LOG_LEVEL', 'debug')).toEqual({ groupCreated: false, variableCreated: false, changed: false });
      expect(await pv.setVariable(project, group, 'log_level', 'info')).toEqual({ groupCreated: false, variableCreated: false, changed: true });
      expect((await pv.list(project, group))!.variables).toEqual([
        { name: 'ENVIRONMENT', isSecret: false, value: 'dev' },
        { name: 'LOG_LEVEL', isSecret: false, value: 'info' },
        { name: 'SERVICE_NAME', isSecret: false, value: 'payments-api' },
      ]);
    });

    it('creates the group when it is missing', async () => {
      expect(await pv.setVariable(project, 'vg-payments-web-dev', 'FEATURE_X', 'on')).toEqual({ groupCreated: true, variableCreated: true, changed: true });
      expect(await pv.list(project, 'vg-payments-web-dev')).toMatchObject({ kind: 'plain', variables: [{ name: 'FEATURE_X', isSecret: false, value: 'on' }] });
    });

    it('writes a secret variable whose value never comes back, and keeps it when another variable changes', async () => {
      expect(await pv.setVariable(project, group, 'API_TOKEN', new SecretValue(CANARY))).toEqual({ groupCreated: false, variableCreated: true, changed: true });
      await pv.setVariable(project, group, 'LOG_LEVEL', 'debug');
      const listed = await pv.list(project, group);
      expect(listed!.variables.find((v) => v.name === 'API_TOKEN')).toEqual({ name: 'API_TOKEN', isSecret: true });
      expect(JSON.stringify(listed)).not.toContain(CANARY);
      expect(await subject.secretDigest(project, group, 'API_TOKEN')).toBe(digest(CANARY));
      // A new value replaces it.
      expect(await pv.setVariable(project, group, 'API_TOKEN', new SecretValue(`${CANARY}-2`))).toMatchObject({ variableCreated: false, changed: true });
      expect(await subject.secretDigest(project, group, 'API_TOKEN')).toBe(digest(`${CANARY}-2`));
    });

    it('turns a plain variable into a secret one, never a secret one into plain', async () => {
      await pv.setVariable(project, group, 'ENVIRONMENT', new SecretValue('hidden-now'));
      expect((await pv.list(project, group))!.variables.find((v) => v.name === 'ENVIRONMENT')).toEqual({ name: 'ENVIRONMENT', isSecret: true });
      const e = await domainFailure(pv.setVariable(project, group, 'environment', 'shown'));
      expect(e).toMatchObject({ code: 'PIPELINES.VARIABLE_IS_SECRET', details: { name: 'ENVIRONMENT' } });
      expect(await subject.secretDigest(project, group, 'ENVIRONMENT')).toBe(digest('hidden-now'));
    });

    it.each(['', 'has space', 'semi;colon', '$(injected)', 'System.AccessToken', 'build.sourceBranch', 'SECRET_KEY', 'path_extra', 'a'.repeat(257)])('refuses the variable name %j, changing nothing', async (bad) => {
      const e = await domainFailure(pv.setVariable(project, group, bad, 'x'));
      expect(e.code).toBe('PIPELINES.INVALID_VARIABLE_NAME');
      expect((await pv.list(project, group))!.variables).toHaveLength(2);
    });

    it('creates a Key Vault-linked group: the secrets by name, no values, the vault and service connection', async () => {
      const result = await pv.linkKeyVault(project, 'vg-payments-api-secrets-dev', { ...LINK, secretNames: ['payments-api--dev--db-password', 'payments-api--dev--api-key', 'PAYMENTS-API--DEV--API-KEY'] });
      expect(result).toEqual({ groupCreated: true, added: ['payments-api--dev--db-password', 'PAYMENTS-API--DEV--API-KEY'] });
      const listed = await pv.list(project, 'vg-payments-api-secrets-dev');
      expect(listed).toMatchObject({ kind: 'key-vault', keyVault: { vault: 'kv-payments-dev', serviceConnectionId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
      expect(listed!.variables).toEqual([{ name: 'PAYMENTS-API--DEV--API-KEY', isSecret: true }, { name: 'payments-api--dev--db-password', isSecret: true }]);
    });

    it('linking again adds only the new secrets and keeps the linked ones; the same link twice adds nothing', async () => {
      const g = 'vg-payments-api-secrets-dev';
      await pv.linkKeyVault(project, g, LINK);
      expect(await pv.linkKeyVault(project, g, LINK)).toEqual({ groupCreated: false, added: [] });
      expect(await pv.linkKeyVault(project, g, { ...LINK, secretNames: ['payments-api--dev--db-password', 'payments-api--dev--api-key'] })).toEqual({ groupCreated: false, added: ['payments-api--dev--api-key'] });
      expect((await pv.list(project, g))!.variables.map((v) => v.name)).toEqual(['payments-api--dev--api-key', 'payments-api--dev--db-password']);
    });

    it('turns an empty plain group into a linked one, but never one that holds variables (they would be lost)', async () => {
      const refused = await domainFailure(pv.linkKeyVault(project, group, LINK));
      expect(refused).toMatchObject({ code: 'PIPELINES.VARIABLE_GROUP_NOT_LINKABLE', details: { group, variables: ['ENVIRONMENT', 'SERVICE_NAME'] } });
      expect((await pv.list(project, group))!.kind).toBe('plain');
      await subject.seedGroup(project, 'vg-empty-dev', {});
      expect(await pv.linkKeyVault(project, 'VG-EMPTY-DEV', LINK)).toEqual({ groupCreated: false, added: LINK.secretNames });
      expect(await pv.list(project, 'vg-empty-dev')).toMatchObject({ name: 'vg-empty-dev', kind: 'key-vault', keyVault: { vault: 'kv-payments-dev' }, variables: [{ name: LINK.secretNames[0], isSecret: true }] });
    });

    it('refuses a value in a linked group, another vault on a linked group, an unknown service connection, a name Key Vault cannot hold', async () => {
      const g = 'vg-payments-api-secrets-dev';
      await pv.linkKeyVault(project, g, LINK);
      expect(await domainFailure(pv.setVariable(project, g, 'X', 'y'))).toMatchObject({ code: 'PIPELINES.VARIABLE_GROUP_LINKED', details: { vault: 'kv-payments-dev' } });
      expect(await domainFailure(pv.linkKeyVault(project, g, { ...LINK, vaultName: 'kv-other' }))).toMatchObject({ code: 'PIPELINES.VARIABLE_GROUP_OTHER_VAULT', details: { vault: 'kv-payments-dev' } });
      expect(await domainFailure(pv.linkKeyVault(project, g, { ...LINK, serviceConnection: 'nope' }))).toMatchObject({ code: 'PIPELINES.SERVICE_CONNECTION_NOT_FOUND', details: { serviceConnection: 'nope' } });
      expect((await domainFailure(pv.linkKeyVault(project, g, { ...LINK, secretNames: ['under_score'] }))).code).toBe('PIPELINES.INVALID_VARIABLE_NAME');
      expect((await domainFailure(pv.linkKeyVault(project, g, { ...LINK, secretNames: ['secret-db'] }))).code).toBe('PIPELINES.INVALID_VARIABLE_NAME');
      expect((await pv.list(project, g))!.variables).toEqual([{ name: 'payments-api--dev--db-password', isSecret: true }]);
    });

    it('an unknown project is REPOS.PROJECT_NOT_FOUND everywhere', async () => {
      for (const call of [pv.list('Nope', group), pv.setVariable('Nope', group, 'X', 'y'), pv.linkKeyVault('Nope', group, LINK)]) expect((await domainFailure(call)).code).toBe('REPOS.PROJECT_NOT_FOUND');
    });
  });
}
