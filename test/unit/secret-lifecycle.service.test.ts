/**
 * SecretLifecycleService, the rotation job and the grace schedule on in-memory fakes: list (no
 * values, refusals), rotate (a new version tagged like create secret, the same rotation period,
 * previous versions disabled only once the grace period is over, once), delete and recover, and
 * every refusal in words. A canary value is searched for in every output.
 */
import { TeamAccessPolicy } from '../../src/domain/access/team-access.policy';
import { JobRunner } from '../../src/domain/jobs/job-runner';
import type { Job } from '../../src/domain/jobs/jobs.types';
import { REQUEST_TAG } from '../../src/domain/secrets/create-secret.job';
import { secretTags } from '../../src/domain/secrets/create-secret.service';
import { rotateSecretJob } from '../../src/domain/secrets/rotate-secret.job';
import { disableDueVersions } from '../../src/domain/secrets/rotation-grace.schedule';
import { SecretLifecycleService, type LifecycleSettings } from '../../src/domain/secrets/secret-lifecycle.service';
import { parseSecretRef, splitVaultName } from '../../src/domain/secrets/secret-ref';
import { SecretValue } from '../../src/domain/secrets/secret-value';
import { userBySlug } from '../../src/sandbox/seed/demo-org';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { InMemoryDirectory } from '../fakes/in-memory-directory';
import { InMemoryJobStore } from '../fakes/in-memory-job-store';
import { InMemoryPendingDisableStore } from '../fakes/in-memory-pending-disable-store';
import { InMemorySecretStore } from '../fakes/in-memory-secret-store';
import { seedCatalog } from '../helpers/repo-fakes';

const CANARY = 'canary-lifecycle-Zq81!never-shown';
const DEV = 'https://kv-dev.vault.azure.net';
const PROD = 'https://kv-prod.vault.azure.net';
const actor = (slug: string) => {
  const u = userBySlug(slug);
  return { id: u.id, name: u.displayName, email: u.userPrincipalName, channelId: u.teamsId };
};
const alice = actor('alice');
const dave = actor('dave');
const HOUR = 3_600_000;

const settings: LifecycleSettings = {
  vaults: { layout: { kind: 'per-environment', urls: { dev: DEV, staging: 'https://kv-staging.vault.azure.net', prod: PROD } }, names: {}, environments: ['dev', 'staging', 'prod'], arm: { subscriptionId: 's', resourceGroup: 'rg' } },
  convention: '{service}--{env}--{name}',
  approvalEnvironments: ['prod'],
  defaultExpiryDays: 90,
  graceHours: 24,
};

async function world() {
  const catalog = new InMemoryCatalogStore();
  await seedCatalog(catalog);
  const store = new InMemorySecretStore({ vaults: [DEV, 'https://kv-staging.vault.azure.net', PROD] });
  const audit = new InMemoryAuditLog();
  const pending = new InMemoryPendingDisableStore();
  let now = new Date('2030-01-01T00:00:00Z');
  const clock = () => now;
  const runner = new JobRunner({ store: new InMemoryJobStore(), retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 10 } });
  runner.register(rotateSecretJob({ store, pending, audit, generator: { length: 32, alphabet: 'abcdefghijklmnopqrstuvwxyz0123456789' }, botIdentity: 'bot:test', tagsFor: (plan, key) => secretTags(plan, key, clock()), clock }));
  const lifecycle = new SecretLifecycleService({
    services: { find: async (t) => catalog.get(`component:default/${t.trim().toLowerCase()}`), suggest: () => ['payments-api'] },
    catalog,
    policy: new TeamAccessPolicy({ directory: InMemoryDirectory.fromDemoOrg(), catalog, platformGroups: ['platform-engineers'] }),
    store,
    jobs: runner,
    audit,
    settings,
    clock,
  });
  runner.start({ pollIntervalMs: 10, leaseMs: 2000, concurrency: 2 });
  const settled = (job: Job): Promise<Job> =>
    new Promise((resolve) => {
      const check = async () => {
        const j = await runner.get(job.id);
        if (j && ['succeeded', 'failed'].includes(j.status)) {
          off();
          resolve(j);
        }
      };
      const off = runner.onProgress((j) => void (j.id === job.id && check()));
      void check();
    });
  const seed = async (name: string, tags: Record<string, string> = {}, value = CANARY) =>
    store.setSecret(DEV, name, { value: new SecretValue(value), tags: { service: 'payments-api', environment: 'dev', 'created-by': 'Alice', 'created-at': '2029-12-01T00:00:00.000Z', ...tags }, expiresOn: new Date('2030-03-01T00:00:00Z') });
  return { store, audit, pending, runner, lifecycle, settled, seed, advance: (ms: number) => (now = new Date(now.getTime() + ms)), clock, stop: () => runner.stop() };
}

const everything = (w: Awaited<ReturnType<typeof world>>, ...more: unknown[]) => JSON.stringify([w.audit.entries, w.pending.all(), ...more]);

describe('secret references', () => {
  test('a stored name, or service/env/name; options; a pasted value is refused without being repeated', () => {
    expect(parseSecretRef('rotate secret payments-api--dev--db-password expires=30d', /^\s*rotate\s+secret/i, ['service', 'env', 'name', 'expires', 'value'])).toEqual({ values: { vaultName: 'payments-api--dev--db-password', expires: '30d' }, problems: [] });
    const pasted = parseSecretRef(`rotate secret x value=${CANARY}`, /^\s*rotate\s+secret/i, ['value']);
    expect(JSON.stringify(pasted)).not.toContain(CANARY);
    expect(pasted.problems[0]).toContain('never typed into the chat');
    expect(parseSecretRef('delete secret a b expires=1d', /^\s*delete\s+secret/i, ['service']).problems).toEqual(['"b" is one word too many (name one secret)', 'unknown key "expires" (known keys: service)']);
    expect(splitVaultName('{service}--{env}--{name}', 'payments-api--dev--db-password')).toEqual({ service: 'payments-api', env: 'dev', name: 'db-password' });
    expect(splitVaultName('{env}-{service}--{name}', 'dev-payments-api--db')).toEqual({ env: 'dev', service: 'payments-api', name: 'db' });
    expect(splitVaultName('{service}--{env}--{name}', 'not-conventional')).toBeNull();
  });
});

describe('SecretLifecycleService', () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeEach(async () => (w = await world()));
  afterEach(() => w.stop());

  test('list: names, environments, versions, expiry, who created them; never values; other services and envs left out', async () => {
    await w.seed('payments-api--dev--db-password', { 'rotation-days': '30' });
    await w.seed('payments-api--dev--db-password');
    await w.seed('payments-api--dev--api-key');
    await w.seed('checkout-web--dev--db-password');
    const listing = await w.lifecycle.list('payments-api', undefined, alice);
    expect(listing.rows.map((r) => [r.env, r.vaultName, r.versions, r.enabledVersions])).toEqual([
      ['dev', 'payments-api--dev--api-key', 1, 1],
      ['dev', 'payments-api--dev--db-password', 2, 2],
    ]);
    expect(listing.rows[1]).toMatchObject({ createdBy: 'Alice', createdAt: '2029-12-01T00:00:00.000Z', latest: { enabled: true, expiresOn: new Date('2030-03-01T00:00:00Z') } });
    expect(listing.failures).toEqual([]);
    expect(everything(w, listing)).not.toContain(CANARY);
    expect(w.audit.entries.at(-1)).toMatchObject({ action: 'secret.list', result: 'success', details: { secrets: 2 } });
  });

  test('list: a non-owner is refused (reading is policy-checked too); an unreachable vault is named, the others still listed', async () => {
    await expect(w.lifecycle.list('payments-api', undefined, dave)).rejects.toMatchObject({ code: 'SECRETS.NOT_ALLOWED' });
    expect(w.audit.entries.at(-1)).toMatchObject({ action: 'secret.list', result: 'denied' });
    await w.seed('payments-api--dev--db-password');
    w.store.fail(PROD, 10);
    const listing = await w.lifecycle.list('payments-api', undefined, alice);
    expect(listing.rows).toHaveLength(1);
    expect(listing.failures.map((f) => [f.env, f.code])).toEqual([['prod', 'UPSTREAM.UNAVAILABLE']]);
    await expect(w.lifecycle.list('no-such-service', undefined, alice)).rejects.toMatchObject({ code: 'SECRETS.REF_INVALID' });
  });

  test('rotate: a new generated version, tagged like create secret, the same rotation period; previous versions disabled only after the grace period, once', async () => {
    const first = await w.seed('payments-api--dev--db-password', { 'rotation-days': '30' });
    const preview = await w.lifecycle.previewRotation({ vaultName: 'payments-api--dev--db-password' }, alice);
    expect(preview.plan.expiresOn).toBe('2030-01-31T00:00:00.000Z');
    expect(preview.enabledVersions).toEqual([first.version]);
    expect(w.store.versionCount(DEV, 'payments-api--dev--db-password')).toBe(1);
    const outcome = await w.lifecycle.confirmRotation({ vaultName: 'payments-api--dev--db-password' }, alice, 'p1', {});
    if (outcome.kind !== 'job') throw new Error(`expected a job, got ${outcome.kind}`);
    const done = await w.settled(outcome.job);
    expect(done.status).toBe('succeeded');
    // A double click meets the same job: still two versions.
    const again = await w.lifecycle.confirmRotation({ vaultName: 'payments-api--dev--db-password' }, alice, 'p1', {});
    expect(again.kind === 'job' && again.job.id).toBe(outcome.job.id);
    const versions = await w.store.listVersions(DEV, 'payments-api--dev--db-password');
    expect(versions).toHaveLength(2);
    const fresh = versions.find((v) => v.version !== first.version)!;
    expect(fresh.tags).toMatchObject({ service: 'payments-api', environment: 'dev', 'owner-team': 'Payments', 'created-by': alice.name, 'rotation-days': '30', [REQUEST_TAG]: `rotate:${alice.id.toLowerCase()}:p1` });
    expect(fresh.expiresOn).toEqual(new Date('2030-01-31T00:00:00Z'));
    expect(versions.every((v) => v.enabled)).toBe(true);
    // Not due yet: nothing disabled.
    w.advance(23 * HOUR);
    expect(await disableDueVersions({ pending: w.pending, store: w.store, audit: w.audit, botIdentity: 'bot:test', clock: w.clock })).toEqual([]);
    expect((await w.store.listVersions(DEV, 'payments-api--dev--db-password')).every((v) => v.enabled)).toBe(true);
    w.advance(2 * HOUR);
    const deps = { pending: w.pending, store: w.store, audit: w.audit, botIdentity: 'bot:test', clock: w.clock };
    expect(await disableDueVersions(deps)).toHaveLength(1);
    expect(await disableDueVersions(deps)).toEqual([]);
    const after = await w.store.listVersions(DEV, 'payments-api--dev--db-password');
    expect(after.map((v) => [v.version === fresh.version, v.enabled]).sort()).toEqual([[false, false], [true, true]]);
    expect(w.audit.entries.filter((e) => e.action === 'secret.rotate.disable-previous')).toHaveLength(1);
    expect(everything(w, done)).not.toContain(CANARY);
  });

  test('rotate: expires= overrides; production needs an approval (unavailable without approvals); refusals in words', async () => {
    await w.seed('payments-api--dev--db-password');
    expect((await w.lifecycle.previewRotation({ service: 'payments-api', env: 'dev', name: 'db-password', expires: '2031-01-01' }, alice)).plan.expiresOn).toBe('2031-01-01T00:00:00.000Z');
    // No rotation tag: the same lifetime as the latest version (created now in the fake, expiring 2030-03-01).
    expect((await w.lifecycle.previewRotation({ vaultName: 'payments-api--dev--db-password' }, alice)).plan.expiresOn).toBeDefined();
    await expect(w.lifecycle.previewRotation({ vaultName: 'payments-api--dev--db-password' }, dave)).rejects.toMatchObject({ code: 'SECRETS.NOT_ALLOWED' });
    await expect(w.lifecycle.previewRotation({ vaultName: 'payments-api--dev--nothing-here' }, alice)).rejects.toMatchObject({ code: 'SECRETS.NOT_FOUND' });
    await expect(w.lifecycle.previewRotation({ vaultName: 'weird' }, alice)).rejects.toMatchObject({ code: 'SECRETS.REF_INVALID' });
    await expect(w.lifecycle.previewRotation({ vaultName: 'payments-api--qa--x' }, alice)).rejects.toMatchObject({ code: 'SECRETS.REF_INVALID' });
    await w.store.setSecret(PROD, 'payments-api--prod--stripe-key', { value: new SecretValue(CANARY), tags: {} });
    await expect(w.lifecycle.confirmRotation({ vaultName: 'payments-api--prod--stripe-key' }, alice, 'p2', {})).rejects.toMatchObject({ code: 'SECRETS.APPROVAL_UNAVAILABLE' });
    expect(w.store.versionCount(PROD, 'payments-api--prod--stripe-key')).toBe(1);
    w.store.forbid(DEV, 'secrets/list');
    await expect(w.lifecycle.previewRotation({ vaultName: 'payments-api--dev--db-password' }, alice)).rejects.toMatchObject({ code: 'SECRETS.VAULT_FORBIDDEN', details: { permission: 'secrets/list' } });
  });

  test('rotate with a typed value: the dialog writes it, the job finds it; only for a plan worked out again', async () => {
    await w.seed('payments-api--dev--db-password');
    const outcome = await w.lifecycle.confirmRotation({ vaultName: 'payments-api--dev--db-password', value: 'type' }, alice, 'p3', {});
    expect(outcome.kind).toBe('enter-value');
    expect(w.store.versionCount(DEV, 'payments-api--dev--db-password')).toBe(1);
    await expect(w.lifecycle.storeTypedRotation({ input: { vaultName: 'payments-api--dev--db-password' }, previewId: 'p3' }, new SecretValue('x'), dave, {})).rejects.toMatchObject({ code: 'SECRETS.NOT_ALLOWED' });
    const job = await w.lifecycle.storeTypedRotation({ input: { vaultName: 'payments-api--dev--db-password' }, previewId: 'p3' }, new SecretValue(`${CANARY}-2`), alice, {});
    await w.lifecycle.storeTypedRotation({ input: { vaultName: 'payments-api--dev--db-password' }, previewId: 'p3' }, new SecretValue(`${CANARY}-3`), alice, {});
    expect((await w.settled(job)).status).toBe('succeeded');
    expect(w.store.versionCount(DEV, 'payments-api--dev--db-password')).toBe(2);
    expect(everything(w, job)).not.toContain(CANARY);
  });

  test('delete asks nothing twice, recover brings it back; refusals in words; audited', async () => {
    await w.seed('payments-api--dev--db-password');
    const preview = await w.lifecycle.previewDelete({ vaultName: 'payments-api--dev--db-password' }, alice);
    expect(preview.versions).toBe(1);
    await expect(w.lifecycle.delete({ vaultName: 'payments-api--dev--db-password' }, dave)).rejects.toMatchObject({ code: 'SECRETS.NOT_ALLOWED' });
    await expect(w.lifecycle.recover({ vaultName: 'payments-api--dev--db-password' }, alice)).rejects.toMatchObject({ code: 'SECRETS.NOT_DELETED' });
    expect((await w.lifecycle.delete({ vaultName: 'payments-api--dev--db-password' }, alice)).already).toBe(false);
    expect((await w.lifecycle.delete({ vaultName: 'payments-api--dev--db-password' }, alice)).already).toBe(true);
    await expect(w.lifecycle.previewRotation({ vaultName: 'payments-api--dev--db-password' }, alice)).rejects.toMatchObject({ code: 'SECRETS.SOFT_DELETED' });
    expect((await w.lifecycle.recover({ vaultName: 'payments-api--dev--db-password' }, alice)).recovered.name).toBe('payments-api--dev--db-password');
    await expect(w.lifecycle.recover({ vaultName: 'payments-api--dev--nothing' }, alice)).rejects.toMatchObject({ code: 'SECRETS.NOT_FOUND' });
    expect(w.audit.entries.map((e) => `${e.action}:${e.result}`)).toEqual(expect.arrayContaining(['secret.delete:denied', 'secret.recover:failure', 'secret.delete:success', 'secret.recover:success']));
  });

  test('grace: a secret deleted meanwhile is noted as gone; the latest version is never disabled', async () => {
    const v1 = await w.seed('payments-api--dev--db-password');
    const v2 = await w.seed('payments-api--dev--db-password');
    const base = { vault: DEV, vaultName: 'kv-dev', name: 'payments-api--dev--db-password', service: 'payments-api', env: 'dev', requestedBy: alice.id, createdAt: w.clock(), dueAt: w.clock() };
    await w.pending.add({ ...base, id: 'r1', versions: [v1.version, v2.version], keep: 'v-other' });
    const deps = { pending: w.pending, store: w.store, audit: w.audit, botIdentity: 'bot:test', clock: w.clock };
    await disableDueVersions(deps);
    expect((await w.pending.get('r1'))).toMatchObject({ disabled: [v1.version] });
    expect((await w.store.getProperties(DEV, 'payments-api--dev--db-password'))!.enabled).toBe(true);
    await w.pending.add({ ...base, id: 'r2', versions: [v1.version], keep: v2.version });
    await w.store.deleteSecret(DEV, 'payments-api--dev--db-password');
    await disableDueVersions(deps);
    expect(await w.pending.get('r2')).toMatchObject({ disabled: [], gone: [v1.version] });
  });
});
