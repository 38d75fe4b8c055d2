/**
 * Expiry reminders with the fakes: which bucket a secret is in, one card per (version, expiry,
 * threshold) however often or on however many replicas the run goes, where the card goes (the
 * team's channel, else its members 1:1), snooze, extend, rotate, and the refusals (a non-member,
 * a rotated secret, a bad date, an unknown vault). Vaults are the in-memory SecretStore.
 */
import { TeamAccessPolicy } from '../../src/domain/access/team-access.policy';
import { DigestRecipientResolver } from '../../src/domain/catalog-digest/digest-recipients';
import type { CatalogStore } from '../../src/domain/catalog/catalog-store.port';
import type { CatalogEntity } from '../../src/domain/catalog/catalog.types';
import { teamChannelKey, type StoredConversation } from '../../src/domain/conversations/conversations.types';
import { DomainError } from '../../src/domain/domain-error';
import { secretExpirySchedule } from '../../src/domain/secrets/expiry-schedule';
import { expiryVaults } from '../../src/domain/secrets/expiry-vaults';
import { daysLeft, EXPIRED, nextThreshold, normalizeThresholds, thresholdFor } from '../../src/domain/secrets/expiry-thresholds';
import { prefixOf, SecretExpiryService, type RotateSecret, type SecretExpiry } from '../../src/domain/secrets/secret-expiry.service';
import { SecretValue } from '../../src/domain/secrets/secret-value';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { InMemoryConversationDirectory } from '../fakes/in-memory-conversation-directory';
import { InMemoryExpiryReminderStore } from '../fakes/in-memory-expiry-reminder-store';
import { InMemorySecretStore } from '../fakes/in-memory-secret-store';
import { entity, TEAM } from '../fixtures/digest-fixtures';

const DAY = 86_400_000;
const DEV = 'https://kv-dev.vault.azure.net';
const PROD = 'https://kv-prod.vault.azure.net';
const GROUP_ID = '10000000-0000-4000-b000-000000000001';
const GENERAL = '19:payments-general@thread.tacv2';
const CANARY = 'canary-expiry-3f9!never-shown';
const alice = { id: 'u-alice', name: 'Alice' };
const dave = { id: 'u-dave', name: 'Dave' };

const general: StoredConversation = { key: teamChannelKey(GENERAL), conversationId: GENERAL, conversationType: 'channel', teamId: GENERAL, aadGroupId: GROUP_ID, serviceUrl: 'https://smba.example/', reference: { conversation: { id: GENERAL } } };
const personal = (aad: string): StoredConversation => ({ key: `user:${aad}`, conversationId: `a:${aad}`, conversationType: 'personal', aadObjectId: aad, serviceUrl: 'https://smba.example/', reference: {} });

function world(options: { rotate?: RotateSecret; channel?: boolean } = {}) {
  let now = new Date('2026-12-02T08:00:00Z');
  const entities = new Map<string, CatalogEntity>(
    [
      entity('component:default/payments-api', { owner: TEAM }),
      entity('component:default/orphan-api'),
      entity(TEAM, { kind: 'Group', members: ['user:default/alice'], profile: { aadObjectId: GROUP_ID, displayName: 'Payments' } }),
      entity('user:default/alice', { kind: 'User', profile: { aadObjectId: 'u-alice' } }),
    ].map((e) => [e.ref, e]),
  );
  const catalog = { get: async (ref: string) => entities.get(ref) ?? null, getMany: async (refs: string[]) => refs.flatMap((r) => (entities.has(r) ? [entities.get(r)!] : [])) };
  const conversations = new InMemoryConversationDirectory();
  const sent: { to: string; reminder: SecretExpiry }[] = [];
  const failing = { next: undefined as unknown };
  const secrets = new InMemorySecretStore({ vaults: [DEV, PROD] });
  const reminders = new InMemoryExpiryReminderStore();
  const audit = new InMemoryAuditLog();
  const byName = (name: string) => [...entities.values()].find((e) => e.kind === 'Component' && e.name === name) ?? null;
  const make = () =>
    new SecretExpiryService({
      store: secrets,
      vaults: async () => [{ env: 'dev', url: DEV, name: 'kv-dev' }, { env: 'prod', url: PROD, name: 'kv-prod' }],
      services: { byService: async (n) => byName(n), byPrefix: async (p) => byName(p) },
      catalog,
      policy: new TeamAccessPolicy({ catalog: catalog as unknown as CatalogStore, platformGroups: [] }),
      recipients: new DigestRecipientResolver({ catalog, conversations }),
      reminders,
      publisher: {
        publish: async (to, reminder) => {
          if (failing.next) {
            const e = failing.next;
            failing.next = undefined;
            throw e;
          }
          sent.push({ to: to.conversationId, reminder });
          return `m${sent.length}`;
        },
      },
      audit,
      thresholds: [30, 7, 1],
      convention: '{service}--{env}--{name}',
      ...(options.rotate ? { rotate: options.rotate } : {}),
      clock: () => now,
    });
  const service = make();
  return {
    service,
    make,
    secrets,
    reminders,
    audit,
    sent,
    conversations,
    entities,
    failing,
    init: async () => {
      if (options.channel !== false) await conversations.save(general);
    },
    advance: (days: number) => (now = new Date(now.getTime() + days * DAY)),
    now: () => now,
    /** A secret expiring `days` from now, tagged as the create flow tags it (or not). */
    put: (name: string, days: number, tags: Record<string, string> = { service: 'payments-api', environment: 'dev', 'created-by': 'Alice' }, vault = DEV) => secrets.setSecret(vault, name, { value: new SecretValue(CANARY), tags, expiresOn: new Date(now.getTime() + days * DAY) }),
  };
}

const NAME = 'payments-api--dev--db-password';
const ref = (version: string, vault = 'kv-dev', name = NAME) => ({ vault, name, version });

describe('expiry thresholds', () => {
  const now = new Date('2026-12-02T00:00:00Z');
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  it('the smallest threshold a secret is within; expired is bucket 0; further away than every threshold is none', () => {
    const t = normalizeThresholds([1, 30, 7, 7]);
    expect(t).toEqual([30, 7, 1]);
    expect(thresholdFor(at(45), now, t)).toBeNull();
    expect(thresholdFor(at(30), now, t)).toBe(30);
    expect(thresholdFor(at(8), now, t)).toBe(30);
    expect(thresholdFor(at(7), now, t)).toBe(7);
    expect(thresholdFor(at(1.5), now, t)).toBe(7);
    expect(thresholdFor(at(0.5), now, t)).toBe(1);
    expect(thresholdFor(at(0), now, t)).toBe(EXPIRED);
    expect(thresholdFor(at(-3), now, t)).toBe(EXPIRED);
    expect([daysLeft(at(0.5), now), daysLeft(at(6.2), now), daysLeft(at(-2.5), now)]).toEqual([1, 7, -2]);
    expect([nextThreshold(30, t), nextThreshold(7, t), nextThreshold(1, t)]).toEqual([7, 1, EXPIRED]);
    expect(normalizeThresholds([0, -1])).toEqual([30, 7, 1]);
  });

  it('reads the service prefix back from a name by the convention', () => {
    expect(prefixOf('{service}--{env}--{name}', 'payments-api--dev--db-password')).toBe('payments-api');
    expect(prefixOf('{env}-{service}--{name}', 'prod-ledger--api-key')).toBe('ledger');
    expect(prefixOf('{service}--{env}--{name}', 'no-convention-here')).toBeNull();
  });

  it('lists each vault of the layout once', async () => {
    const settings = { names: {}, environments: ['dev', 'prod'], arm: { subscriptionId: 's', resourceGroup: 'rg' } };
    await expect(expiryVaults({ ...settings, layout: { kind: 'per-environment', urls: { dev: DEV, prod: PROD } } }, async () => [])).resolves.toEqual([{ env: 'dev', url: DEV, name: 'kv-dev' }, { env: 'prod', url: PROD, name: 'kv-prod' }]);
    await expect(expiryVaults({ ...settings, layout: { kind: 'per-environment', urls: {}, fallbackUrl: DEV } }, async () => [])).resolves.toHaveLength(1);
    const perService = await expiryVaults({ ...settings, layout: { kind: 'per-service-environment', template: 'https://kv-{service}-{env}.vault.azure.net' } }, async () => ['pay', 'ledger']);
    expect(perService.map((v) => v.name)).toEqual(['kv-pay-dev', 'kv-pay-prod', 'kv-ledger-dev', 'kv-ledger-prod']);
  });
});

describe('the expiry run', () => {
  it('one card per threshold as the secret nears its expiry, whatever the number of runs; one more once expired', async () => {
    const w = world();
    await w.init();
    await w.put(NAME, 20);
    await w.put('payments-api--dev--far', 200);
    await w.secrets.setSecret(DEV, 'payments-api--dev--never', { value: new SecretValue('x'), tags: { service: 'payments-api' } });
    const first = await w.service.runOccurrence('secret-expiry:1');
    expect(first).toMatchObject({ vaults: 2, secrets: 3, due: 1, sent: 1 });
    expect(w.sent.map((s) => [s.to, s.reminder.threshold, s.reminder.daysLeft])).toEqual([[GENERAL, 30, 20]]);
    await w.service.runOccurrence('secret-expiry:1');
    await w.service.runOccurrence('secret-expiry:2');
    expect(w.sent).toHaveLength(1);
    w.advance(14); // 6 days left
    await w.service.runOccurrence('secret-expiry:3');
    await w.service.runOccurrence('secret-expiry:4');
    w.advance(5.5); // 12 hours left
    await w.service.runOccurrence('secret-expiry:5');
    w.advance(1); // expired
    await w.service.runOccurrence('secret-expiry:6');
    await w.service.runOccurrence('secret-expiry:7');
    expect(w.sent.map((s) => s.reminder.threshold)).toEqual([30, 7, 1, EXPIRED]);
    expect(w.sent[0]!.reminder).toMatchObject({ vault: 'kv-dev', env: 'dev', name: NAME, service: 'payments-api', owner: { ref: TEAM, name: 'Payments' }, createdBy: 'Alice' });
    const audits = w.audit.entries.filter((a) => a.action === 'secret.expiry.remind');
    expect(audits).toHaveLength(4);
    expect(JSON.stringify([w.sent, w.audit.entries, [...w.reminders.records.values()]])).not.toContain(CANARY);
  });

  it('first seen inside the 7-day threshold: only the 7-day card, not the 30-day one too', async () => {
    const w = world();
    await w.init();
    await w.put(NAME, 5);
    await w.service.runOccurrence('secret-expiry:1');
    expect(w.sent.map((s) => s.reminder.threshold)).toEqual([7]);
  });

  it('two replicas running at once send each reminder once', async () => {
    const w = world();
    await w.init();
    for (let i = 0; i < 5; i++) await w.put(`payments-api--dev--s${i}`, 3 + i);
    const [a, b] = await Promise.all([w.service.runOccurrence('secret-expiry:1'), w.make().runOccurrence('secret-expiry:1')]);
    expect(a.sent + b.sent).toBe(5);
    expect(a.skipped + b.skipped).toBe(5);
    expect(new Set(w.sent.map((s) => s.reminder.name)).size).toBe(5);
    expect(w.sent).toHaveLength(5);
  });

  it('a failed send fails the run and is sent by the next one; a vault that cannot be listed does not stop the others', async () => {
    const w = world();
    await w.init();
    await w.put(NAME, 3);
    await w.put('payments-api--prod--api-key', 3, { service: 'payments-api', environment: 'prod' }, PROD);
    w.failing.next = new DomainError('UPSTREAM.UNAVAILABLE', 'connector 503', {});
    w.secrets.fail(PROD, 10);
    await expect(w.service.runOccurrence('secret-expiry:1')).rejects.toMatchObject({ code: 'SECRETS.EXPIRY_REMINDERS_FAILED', details: { failed: 2 } });
    expect(w.sent).toHaveLength(0);
    w.secrets.clearFaults();
    await expect(w.service.runOccurrence('secret-expiry:1')).resolves.toMatchObject({ sent: 2 });
    expect(w.sent.map((s) => s.reminder.name).sort()).toEqual(['payments-api--dev--db-password', 'payments-api--prod--api-key']);
  });

  it('the service from the name when there is no service tag; an unowned secret is not lost: reminded once the catalog knows its team', async () => {
    const w = world();
    await w.init();
    await w.put(NAME, 3, {});
    await w.put('orphan-api--dev--token', 3, {});
    const totals = await w.service.runOccurrence('secret-expiry:1');
    expect(totals).toMatchObject({ sent: 1, unroutable: 1 });
    expect(w.sent[0]!.reminder).toMatchObject({ name: NAME, service: 'payments-api' });
    w.entities.set('component:default/orphan-api', entity('component:default/orphan-api', { owner: TEAM }));
    await w.service.runOccurrence('secret-expiry:2');
    expect(w.sent.map((s) => s.reminder.name)).toEqual([NAME, 'orphan-api--dev--token']);
  });

  it('no team channel (or Teams refuses it for good): the members 1:1, the channel forgotten', async () => {
    const w = world();
    await w.init();
    await w.conversations.save(personal('u-alice'));
    await w.put(NAME, 3);
    w.failing.next = new DomainError('CONVERSATION.BOT_NOT_MEMBER', 'removed from the team', {});
    await w.service.runOccurrence('secret-expiry:1');
    expect(w.sent.map((s) => s.to)).toEqual(['a:u-alice']);
    await expect(w.conversations.findTeamChannel({ aadGroupId: GROUP_ID })).resolves.toBeNull();
  });
});

describe('the reminder buttons', () => {
  it('Extend 90 days: from the expiry the card showed, on the latest version and its expires tag; a double click sets the same date; audited', async () => {
    const w = world();
    await w.init();
    const v = await w.put(NAME, 5);
    const shown = v.expiresOn!.toISOString();
    const target = new Date(v.expiresOn!.getTime() + 90 * DAY);
    const e = await w.service.extend(alice, ref(v.version), { days: 90 }, shown);
    await w.service.extend(alice, ref(v.version), { days: 90 }, shown);
    expect(e.expiresOn).toEqual(target);
    const now = await w.secrets.getProperties(DEV, NAME);
    expect(now!.expiresOn).toEqual(target);
    expect(now!.tags).toEqual({ service: 'payments-api', environment: 'dev', 'created-by': 'Alice', expires: target.toISOString().slice(0, 10) });
    expect(w.audit.entries.filter((a) => a.action === 'secret.expiry.extend' && a.result === 'success')).toHaveLength(2);
    await expect(w.service.runOccurrence('secret-expiry:1')).resolves.toMatchObject({ due: 0, sent: 0 });
    // The new expiry gets its own reminders when it comes near.
    w.advance(90);
    await w.service.runOccurrence('secret-expiry:2');
    expect(w.sent.map((s) => s.reminder.threshold)).toEqual([7]);
  });

  it('Extend to a date; a past or unreadable date is refused and changes nothing', async () => {
    const w = world();
    await w.init();
    const v = await w.put(NAME, 5);
    await expect(w.service.extend(alice, ref(v.version), { date: '2020-01-01' }, undefined)).rejects.toMatchObject({ code: 'SECRETS.EXPIRY_INVALID' });
    await expect(w.service.extend(alice, ref(v.version), { date: 'next tuesday' }, undefined)).rejects.toMatchObject({ code: 'SECRETS.EXPIRY_INVALID' });
    expect((await w.secrets.getProperties(DEV, NAME))!.expiresOn).toEqual(v.expiresOn);
    const e = await w.service.extend(alice, ref(v.version), { date: '2027-06-30' }, undefined);
    expect(e.expiresOn.toISOString().slice(0, 10)).toBe('2027-06-30');
    expect((await w.secrets.getProperties(DEV, NAME))!.tags.expires).toBe('2027-06-30');
  });

  it('a non-member is refused (audited, nothing changed); a rotated secret or an unknown vault is refused too', async () => {
    const w = world();
    await w.init();
    const v = await w.put(NAME, 5);
    await expect(w.service.extend(dave, ref(v.version), { days: 90 }, undefined)).rejects.toMatchObject({ code: 'SECRETS.EXPIRY_NOT_ALLOWED', details: { reason: expect.stringContaining('Dave is not a member of the team Payments') } });
    await expect(w.service.snooze(dave, ref(v.version))).rejects.toMatchObject({ code: 'SECRETS.EXPIRY_NOT_ALLOWED' });
    expect((await w.secrets.getProperties(DEV, NAME))!.expiresOn).toEqual(v.expiresOn);
    expect(w.reminders.records.size).toBe(0);
    expect(w.audit.entries.filter((a) => a.result === 'denied').map((a) => a.action)).toEqual(['secret.expiry.extend', 'secret.expiry.snooze']);
    await w.put(NAME, 90);
    await expect(w.service.extend(alice, ref(v.version), { days: 90 }, undefined)).rejects.toMatchObject({ code: 'SECRETS.EXPIRY_STALE' });
    await expect(w.service.extend(alice, ref(v.version, 'kv-elsewhere'), { days: 90 }, undefined)).rejects.toMatchObject({ code: 'SECRETS.VAULT_UNKNOWN' });
  });

  it('Snooze: no reminder until the next threshold, then the next one comes', async () => {
    const w = world();
    await w.init();
    const v = await w.put(NAME, 5);
    const e = await w.service.snooze(alice, ref(v.version));
    expect(e.snoozed).toEqual({ by: 'Alice', until: 1 });
    await w.service.runOccurrence('secret-expiry:1');
    w.advance(3);
    await w.service.runOccurrence('secret-expiry:2');
    expect(w.sent).toHaveLength(0);
    w.advance(1.5); // 12 hours left: the 1-day threshold
    await w.service.runOccurrence('secret-expiry:3');
    expect(w.sent.map((s) => s.reminder.threshold)).toEqual([1]);
    expect(w.audit.entries.find((a) => a.action === 'secret.expiry.snooze')).toMatchObject({ actor: 'u-alice', result: 'success', details: { threshold: 7, until: 1 } });
  });

  it('Snooze of a secret no longer near its expiry is refused', async () => {
    const w = world();
    await w.init();
    const v = await w.put(NAME, 100);
    await expect(w.service.snooze(alice, ref(v.version))).rejects.toMatchObject({ code: 'SECRETS.EXPIRY_NOT_DUE' });
  });

  it('Rotate hands the secret to the rotation flow as the clicker; refused for a non-member; unavailable when not wired', async () => {
    const calls: [string, string][] = [];
    const w = world({ rotate: async (name, actor) => void calls.push([name, actor.id]) });
    await w.init();
    const v = await w.put(NAME, 5);
    await w.service.rotate(alice, ref(v.version));
    await expect(w.service.rotate(dave, ref(v.version))).rejects.toMatchObject({ code: 'SECRETS.EXPIRY_NOT_ALLOWED' });
    expect(calls).toEqual([[NAME, 'u-alice']]);
    const bare = world();
    await bare.init();
    const b = await bare.put(NAME, 5);
    expect(bare.service.rotationAvailable).toBe(false);
    await expect(bare.service.rotate(alice, ref(b.version))).rejects.toMatchObject({ code: 'SECRETS.ROTATION_UNAVAILABLE' });
  });
});

describe('the expiry schedule', () => {
  it('runs the occurrence named by its slot, with or without onRun', async () => {
    const occurrences: string[] = [];
    const service = { runOccurrence: async (o: string) => (occurrences.push(o), { vaults: 0, secrets: 0, due: 0, sent: 0, skipped: 0, unroutable: 0, failed: 0 }) };
    const seen: number[] = [];
    const signal = new AbortController().signal;
    await secretExpirySchedule(service, { everyMs: DAY }).run({ name: 'secret-expiry', slot: 7, signal });
    await secretExpirySchedule(service, { everyMs: DAY, onRun: (t) => seen.push(t.sent) }).run({ name: 'secret-expiry', slot: 8, signal });
    expect(occurrences).toEqual(['secret-expiry:7', 'secret-expiry:8']);
    expect(seen).toEqual([0]);
  });
});
