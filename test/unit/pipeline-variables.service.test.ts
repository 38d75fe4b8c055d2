/** set / list variables on the in-memory PipelineVariables: who may, validation in words, groups by convention, audit by name only. */
import { userMessageFor } from '../../src/bot/messages';
import type { CatalogEntity } from '../../src/domain/catalog/catalog.types';
import { PipelineVariablesService } from '../../src/domain/secrets/pipeline-variables.service';
import { SecretValue } from '../../src/domain/secrets/secret-value';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { InMemoryPipelineVariables } from '../fakes/in-memory-pipeline-variables';
import { domainFailure } from '../helpers/domain-failure';

const TEAM = { ref: 'group:default/team-payments', kind: 'Group', name: 'team-payments' } as CatalogEntity;
const service = (name: string, extra: Partial<CatalogEntity['source']> = { repository: { project: 'Payments', name } }): CatalogEntity =>
  ({ ref: `component:default/${name}`, kind: 'Component', name, owner: TEAM.ref, source: { pipelines: [], ...extra } }) as unknown as CatalogEntity;
const ENTITIES = [service('payments-api'), service('legacy-batch', {}), TEAM];
const ALICE = { id: 'id-alice', name: 'Alice' };
const DAVE = { id: 'id-dave', name: 'Dave' };
const PLAIN_VALUE = 'plain-value-visible';

function world() {
  const variables = new InMemoryPipelineVariables();
  const audit = new InMemoryAuditLog();
  const byRef = new Map(ENTITIES.map((e) => [e.ref, e]));
  const svc = new PipelineVariablesService({
    services: { find: async (t) => ENTITIES.find((e) => e.kind === 'Component' && e.name === t.trim().toLowerCase()) ?? null, suggest: (t) => (t.startsWith('pay') ? ['payments-api'] : []) },
    catalog: { get: async (ref) => byRef.get(ref) ?? null },
    policy: { canActFor: async (actor) => (actor.id === ALICE.id ? { allowed: true, via: 'team' } : { allowed: false, reason: `${actor.name} is not a member of the team Payments.` }) },
    variables,
    audit,
    environments: ['dev', 'staging', 'prod'],
  });
  return { svc, variables, audit };
}

describe('PipelineVariablesService.set', () => {
  it("creates vg-<service>-<env> in the service's project, then adds, changes and leaves values as they are", async () => {
    const { svc, variables, audit } = world();
    expect(await svc.set({ service: 'payments-api', env: 'DEV', name: 'LOG_LEVEL', value: 'debug' }, ALICE)).toMatchObject({ groupCreated: true, project: 'Payments', group: 'vg-payments-api-dev' });
    expect(await svc.set({ service: 'payments-api', env: 'dev', name: 'FLAGS', value: PLAIN_VALUE }, ALICE)).toMatchObject({ groupCreated: false, variableCreated: true, changed: true });
    expect(await svc.set({ service: 'payments-api', env: 'dev', name: 'log_level', value: 'info' }, ALICE)).toMatchObject({ variableCreated: false, changed: true });
    expect(await svc.set({ service: 'payments-api', env: 'dev', name: 'LOG_LEVEL', value: 'info' }, ALICE)).toMatchObject({ changed: false });
    const group = await variables.list('Payments', 'vg-payments-api-dev');
    expect(group!.variables).toEqual([{ name: 'FLAGS', isSecret: false, value: PLAIN_VALUE }, { name: 'LOG_LEVEL', isSecret: false, value: 'info' }]);
    const sets = audit.entries.filter((e) => e.action === 'pipeline.variable.set');
    expect(sets).toHaveLength(4);
    expect(sets[0]).toMatchObject({ actor: ALICE.id, target: 'variable-group:Payments/vg-payments-api-dev', result: 'success', details: { service: 'payments-api', env: 'dev', name: 'LOG_LEVEL', groupCreated: true } });
    // Audited by name: not even a plain value is copied into the audit trail.
    expect(JSON.stringify(audit.entries)).not.toContain(PLAIN_VALUE);
  });

  it('refuses someone outside the owning team, audited, changing nothing', async () => {
    const { svc, variables, audit } = world();
    const e = await domainFailure(svc.set({ service: 'payments-api', env: 'dev', name: 'LOG_LEVEL', value: 'debug' }, DAVE));
    expect(e.code).toBe('PIPELINES.VARIABLES_NOT_ALLOWED');
    expect(userMessageFor(e, 'ref-1').text).toContain('Dave is not a member of the team Payments. Nothing was changed.');
    expect(variables.groups).toEqual([]);
    expect(audit.entries).toMatchObject([{ actor: DAVE.id, action: 'pipeline.variable.set', result: 'denied' }]);
  });

  it('says every problem at once, in words, and never repeats a value that looks like a secret', async () => {
    const { svc, variables } = world();
    const e = await domainFailure(svc.set({ service: 'paymnts', env: 'qa', name: 'System.Debug', value: 'x' }, ALICE));
    expect(e.code).toBe('PIPELINES.VARIABLE_REQUEST_INVALID');
    const said = userMessageFor(e, 'ref-1').text;
    expect(said).toContain('there is no service "paymnts" in the catalog (did you mean payments-api?)');
    expect(said).toContain('"qa" is not an environment (one of dev, staging, prod)');
    expect(said).toContain('in the system\'s namespace "system."');
    const secretLike = await domainFailure(svc.set({ service: 'payments-api', env: 'dev', name: 'DB_PASSWORD', value: 'hunter2-canary' }, ALICE));
    expect(userMessageFor(secretLike, 'ref-1').text).toContain('set secret variable DB\\_PASSWORD for payments-api in dev');
    expect(JSON.stringify([secretLike.message, secretLike.details, userMessageFor(secretLike, 'ref-1')])).not.toContain('hunter2-canary');
    const noRepo = await domainFailure(svc.set({ service: 'legacy-batch', env: 'dev', name: 'A', value: 'b' }, ALICE));
    expect(userMessageFor(noRepo, 'ref-1').text).toContain('legacy-batch has no Azure DevOps repository in the catalog');
    expect(await domainFailure(svc.set({ service: 'payments-api', env: 'dev', name: 'A', value: 'x\ny' }, ALICE))).toMatchObject({ code: 'PIPELINES.VARIABLE_REQUEST_INVALID' });
    expect(variables.groups).toEqual([]);
  });

  it("does not overwrite a secret variable with a visible value, and audits the failure with its code", async () => {
    const { svc, variables, audit } = world();
    await variables.setVariable('Payments', 'vg-payments-api-dev', 'SIGNING', new SecretValue('s3cr3t-canary'));
    const e = await domainFailure(svc.set({ service: 'payments-api', env: 'dev', name: 'SIGNING', value: 'visible' }, ALICE));
    expect(e.code).toBe('PIPELINES.VARIABLE_IS_SECRET');
    expect(audit.entries.at(-1)).toMatchObject({ result: 'failure', details: { code: 'PIPELINES.VARIABLE_IS_SECRET', name: 'SIGNING' } });
  });
});

describe('PipelineVariablesService.list', () => {
  it('lists each environment: the plain group with values, the Key Vault-linked one by name only', async () => {
    const { svc, variables, audit } = world();
    await svc.set({ service: 'payments-api', env: 'dev', name: 'LOG_LEVEL', value: 'debug' }, ALICE);
    await variables.setVariable('Payments', 'vg-payments-api-dev', 'LEGACY_TOKEN_X', new SecretValue('legacy-canary'));
    await variables.linkKeyVault('Payments', 'vg-payments-api-dev-secrets', { serviceConnection: 'azure-key-vault', vaultName: 'kv-dev', secretNames: ['payments-api--dev--db-password'] });
    const all = await svc.list({ service: 'payments-api' }, ALICE);
    expect(all.environments.map((e) => [e.env, e.plain.info?.variables.length ?? null, e.secrets.info?.variables.length ?? null])).toEqual([['dev', 2, 1], ['staging', null, null], ['prod', null, null]]);
    expect(all.environments[0]!.plain.info!.variables).toEqual([{ name: 'LEGACY_TOKEN_X', isSecret: true }, { name: 'LOG_LEVEL', isSecret: false, value: 'debug' }]);
    expect(all.environments[0]!.secrets).toMatchObject({ name: 'vg-payments-api-dev-secrets', info: { kind: 'key-vault', variables: [{ name: 'payments-api--dev--db-password', isSecret: true }] } });
    expect(JSON.stringify(all)).not.toContain('legacy-canary');
    expect((await svc.list({ service: 'payments-api', env: 'prod' }, ALICE)).environments.map((e) => e.env)).toEqual(['prod']);
    expect(audit.entries.filter((e) => e.action === 'pipeline.variable.list')).toHaveLength(2);
    expect((await domainFailure(svc.list({ service: 'payments-api' }, DAVE))).code).toBe('PIPELINES.VARIABLES_NOT_ALLOWED');
  });
});
