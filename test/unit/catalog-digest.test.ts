/** The weekly digest: composition (grouping, order, changes), the card's size at 200 checks, recipients, delivery exactly once per team and occurrence. */
import * as AC from 'adaptivecards';
import { DIGEST_CARD_MAX_BYTES } from '../../cards/catalog-digest.card';
import { digestCard } from '../../dialogs/catalog-digest/catalog-digest.views';
import { teamInstallOf } from '../../src/bot/conversation-recorder';
import { composeDigest } from '../../src/domain/catalog-digest/digest-composition';
import { DigestRecipientResolver } from '../../src/domain/catalog-digest/digest-recipients';
import { weeklySlot, WEEK_MS } from '../../src/domain/catalog-digest/digest-schedule';
import { CatalogDigestService, type DigestPublisher } from '../../src/domain/catalog-digest/digest.service';
import type { TeamDigest } from '../../src/domain/catalog-digest/digest.types';
import { parseTeamsChannelUrl } from '../../src/domain/catalog-digest/teams-channel-link';
import { teamChannelKey, type StoredConversation } from '../../src/domain/conversations/conversations.types';
import type { CatalogEntity } from '../../src/domain/catalog/catalog.types';
import { InMemoryConversationDirectory } from '../fakes/in-memory-conversation-directory';
import { InMemoryDigestDeliveryStore, InMemoryFixRecordStore } from '../fakes/in-memory-digest-stores';
import { InMemoryHealthRunStore, InMemoryHealthWaiverStore } from '../fakes/in-memory-health-stores';
import { bigDigestCard, entity, finding, LINK_HOSTS, manyFindings, RULES, run, TEAM, teamHealth } from '../fixtures/digest-fixtures';

const API = 'component:default/payments-api';
const WEB = 'component:default/payments-web';
const DB = 'resource:default/payments-db';

describe('composeDigest', () => {
  const r1 = run('r1', '2026-11-30T08:00:00Z');
  const r2 = run('r2', '2026-12-07T08:00:00Z');
  const compose = (current: ReturnType<typeof teamHealth>, previous?: ReturnType<typeof teamHealth> | null, maxPerRule = 5, waived: string[] = []) =>
    composeDigest({ run: r2, current, ...(previous !== undefined ? { previousRun: r1, previous } : {}), teamName: 'Payments', rules: RULES, waiverOf: (ref, rule) => (waived.includes(`${ref}#${rule}`) ? { ref, ruleId: rule, kind: 'snooze', by: { id: 'u', name: 'U' }, at: new Date() } : undefined), fixes: [], maxPerRule });

  it('groups by rule, counted, worst severity first, then the larger group; new checks first inside a group', () => {
    const d = compose(
      teamHealth('r2', [finding(API, 'production-runbook-missing'), finding(WEB, 'production-runbook-missing'), finding(DB, 'production-runbook-missing'), finding(WEB, 'owner-missing'), finding(API, 'descriptor-stale'), finding(API, 'contact-missing')]),
      teamHealth('r1', [finding(API, 'production-runbook-missing'), finding(API, 'production-on-call-missing')]),
    );
    expect(d.groups.map((g) => [g.ruleId, g.severity, g.count])).toEqual([
      ['owner-missing', 'error', 1],
      ['production-runbook-missing', 'warning', 3],
      ['contact-missing', 'warning', 1],
      ['descriptor-stale', 'info', 1],
    ]);
    const runbook = d.groups[1]!;
    expect(runbook.items.map((i) => [i.ref, i.isNew])).toEqual([[WEB, true], [DB, true], [API, false]]);
    expect(runbook.newCount).toBe(2);
    expect(runbook.fix).toBe('runbook');
    expect(d.failing).toBe(6);
    expect(d.newCount).toBe(5);
    expect(d.fixed).toEqual([{ ref: API, ruleId: 'production-on-call-missing', title: 'Production service without on-call' }]);
  });

  it('lists at most maxPerRule per rule and counts the rest', () => {
    const d = compose(teamHealth('r2', Array.from({ length: 42 }, (_, i) => finding(`component:default/svc-${i}`, 'contact-missing'))), undefined, 5);
    expect(d.groups[0]).toMatchObject({ count: 42, hidden: 37 });
    expect(d.groups[0]!.items).toHaveLength(5);
  });

  it('the first digest has nothing new and nothing fixed; a team absent a week ago has everything new', () => {
    const first = compose(teamHealth('r2', [finding(API, 'owner-missing')]));
    expect(first).toMatchObject({ newCount: 0, fixed: [] });
    expect(first.previousRunAt).toBeUndefined();
    expect(compose(teamHealth('r2', [finding(API, 'owner-missing')]), null)).toMatchObject({ newCount: 1, fixed: [] });
  });

  it('a waiver set since the run hides its check (counted as waived), and a waived check is not "fixed"', () => {
    const d = compose(teamHealth('r2', [finding(API, 'owner-missing'), finding(WEB, 'owner-missing')], TEAM, { waived: 1 }), teamHealth('r1', [finding(DB, 'contact-missing')]), 5, [`${WEB}#owner-missing`, `${DB}#contact-missing`]);
    expect(d.groups[0]!.items.map((i) => i.ref)).toEqual([API]);
    expect(d.waived).toBe(2);
    expect(d.fixed).toEqual([]);
  });
});

describe('the digest card', () => {
  it('200 failing checks: valid for the official parser and under the size limit, every rule counted, "and N more"', () => {
    const card = bigDigestCard();
    const json = JSON.stringify(card);
    const bytes = Buffer.byteLength(json, 'utf8');
    expect(bytes).toBeLessThanOrEqual(DIGEST_CARD_MAX_BYTES);
    const context = new AC.SerializationContext();
    new AC.AdaptiveCard().parse(card, context);
    expect(context.eventCount).toBe(0);
    expect(json.includes('200 failing checks')).toBe(true);
    expect(json.match(/ failing( \(\d+ new\))?"/g)).toHaveLength(13); // one heading per rule
    expect(/and \d+ more/.test(json)).toBe(true);
    expect(json.includes('](https://dev.azure.com/contoso/Payments/_git/payments-api/pullrequest/12)')).toBe(true);
    expect(json.includes('<script>')).toBe(false);
    expect(/(^|[^\\])\[click\]/.test(json)).toBe(false);
  });

  it('shrinks per-rule lists rather than exceed the limit, keeping every group', () => {
    const huge = composeDigest({ run: run('r', '2026-12-07T08:00:00Z'), current: teamHealth('r', manyFindings(2000)), teamName: 'Payments', rules: RULES, waiverOf: () => undefined, fixes: [], maxPerRule: 50 });
    const json = JSON.stringify(digestCard(huge, LINK_HOSTS));
    expect(Buffer.byteLength(json, 'utf8')).toBeLessThanOrEqual(DIGEST_CARD_MAX_BYTES);
    expect(json.match(/ failing"/g)).toHaveLength(13);
  });

  it('only fixable rules get a Fix button; every listed check gets Snooze and Not applicable', () => {
    const d = composeDigest({ run: run('r', '2026-12-07T08:00:00Z'), current: teamHealth('r', [finding(API, 'dependency-orphaned'), finding(API, 'owner-missing')]), teamName: 'P', rules: RULES, waiverOf: () => undefined, fixes: [], maxPerRule: 5 });
    const titles = JSON.stringify(digestCard(d, LINK_HOSTS)).match(/"title":"[^"]+"/g);
    expect(titles).toEqual(['"title":"Fix"', '"title":"Snooze 30 days"', '"title":"Not applicable"', '"title":"Snooze 30 days"', '"title":"Not applicable"']);
  });
});

describe('team channels and recipients', () => {
  it('a Teams channel deep link names the channel and the team\'s group', () => {
    expect(parseTeamsChannelUrl('https://teams.microsoft.com/l/channel/19%3Apayments-general%40thread.tacv2/General?groupId=10000000-0000-4000-B000-000000000001&tenantId=t')).toEqual({ channelId: '19:payments-general@thread.tacv2', groupId: '10000000-0000-4000-b000-000000000001', name: 'General' });
    expect(parseTeamsChannelUrl('https://evil.example/l/channel/19%3Ax/General')).toBeNull();
    expect(parseTeamsChannelUrl('https://teams.microsoft.com/l/chat/0/0?users=a')).toBeNull();
    expect(parseTeamsChannelUrl(undefined)).toBeNull();
  });

  it('the bot added to a team (conversationUpdate or installationUpdate add) is a team install; a person joining is not', () => {
    const base = { recipient: { id: 'bot' }, channelData: { team: { id: '19:t@thread.tacv2', aadGroupId: 'ABC', name: 'Payments' } } };
    expect(teamInstallOf({ ...base, type: 'conversationUpdate', membersAdded: [{ id: 'bot' }] } as never)).toEqual({ teamId: '19:t@thread.tacv2', aadGroupId: 'abc', name: 'Payments' });
    expect(teamInstallOf({ ...base, type: 'installationUpdate', action: 'add' } as never)).toMatchObject({ teamId: '19:t@thread.tacv2' });
    expect(teamInstallOf({ ...base, type: 'conversationUpdate', membersAdded: [{ id: '29:alice' }] } as never)).toBeNull();
    expect(teamInstallOf({ ...base, type: 'installationUpdate', action: 'remove' } as never)).toBeNull();
    expect(teamInstallOf({ type: 'conversationUpdate', recipient: { id: 'bot' }, membersAdded: [{ id: 'bot' }] } as never)).toBeNull(); // a personal install
  });

  const channel = (teamId: string, aadGroupId: string): StoredConversation => ({ key: teamChannelKey(teamId), conversationId: teamId, conversationType: 'channel', teamId, aadGroupId, serviceUrl: 'http://x', reference: { conversation: { id: teamId } } });
  const personal = (aad: string): StoredConversation => ({ key: `user:${aad}`, conversationId: `a:${aad}`, conversationType: 'personal', aadObjectId: aad, serviceUrl: 'http://x', reference: {} });

  it('a Group reaches its team channel by its Entra id, else by the team in its channel link, else its members 1:1 (the unreachable counted)', async () => {
    const conversations = new InMemoryConversationDirectory();
    const users = [entity('user:default/alice', { profile: { aadObjectId: 'u-alice' } }), entity('user:default/bob', { profile: { aadObjectId: 'u-bob' } }), entity('user:default/frank', {})];
    const catalog = { getMany: async (refs: string[]) => users.filter((u) => refs.includes(u.ref)) };
    const resolver = new DigestRecipientResolver({ catalog, conversations });
    const group = (extra: Partial<CatalogEntity>) => entity('group:default/team-payments', { members: users.map((u) => u.ref), ...extra });

    await conversations.save(personal('u-alice'));
    expect(await resolver.resolve(group({}))).toMatchObject({ via: 'members', unreachable: 2, conversations: [{ key: 'user:u-alice' }] });
    await conversations.save(channel('19:payments@thread.tacv2', 'g-payments'));
    expect(await resolver.resolve(group({ profile: { aadObjectId: 'G-PAYMENTS' } }))).toMatchObject({ via: 'channel', conversations: [{ teamId: '19:payments@thread.tacv2' }] });
    expect(await resolver.resolve(group({ contacts: { teamsChannelUrl: 'https://teams.microsoft.com/l/channel/19%3Apayments%40thread.tacv2/General' } }))).toMatchObject({ via: 'channel' });
    expect(await resolver.resolve(entity('group:default/empty'))).toMatchObject({ via: 'nobody' });
    expect(await resolver.resolve(null)).toMatchObject({ via: 'nobody' });
  });
});

describe('the weekly slot', () => {
  it('Monday 09:00 UTC, and 09:00 in a zone ahead of UTC is earlier in UTC', () => {
    const utc = weeklySlot('monday', '09:00', 'UTC');
    expect(utc.everyMs).toBe(WEEK_MS);
    expect(new Date(utc.offsetMs + 2900 * WEEK_MS).toISOString()).toMatch(/T09:00:00.000Z$/);
    expect(new Date(utc.offsetMs).getUTCDay()).toBe(1);
    const tokyo = weeklySlot('monday', '09:00', 'Asia/Tokyo');
    expect(new Date(tokyo.offsetMs).toISOString()).toBe('1970-01-05T00:00:00.000Z');
    expect(weeklySlot('sunday', '23:30', 'UTC').offsetMs).toBe(3 * 24 * 3600_000 + 23.5 * 3600_000);
  });
});

describe('CatalogDigestService', () => {
  const alice = entity('user:default/alice', { profile: { aadObjectId: 'u-alice' } });
  const bob = entity('user:default/bob', { profile: { aadObjectId: 'u-bob' } });
  const payments = entity(TEAM, { kind: 'Group', profile: { displayName: 'Payments', aadObjectId: 'g-payments' }, members: [alice.ref, bob.ref] });
  const search = entity('group:default/team-search', { kind: 'Group', members: [bob.ref] });
  const catalogOf = (entities: CatalogEntity[]) => ({ get: async (ref: string) => entities.find((e) => e.ref === ref) ?? null, getMany: async (refs: string[]) => entities.filter((e) => refs.includes(e.ref)) });

  async function setup(options: { allGood?: boolean; failAt?: string } = {}) {
    const runs = new InMemoryHealthRunStore();
    const waivers = new InMemoryHealthWaiverStore();
    const conversations = new InMemoryConversationDirectory();
    const deliveries = new InMemoryDigestDeliveryStore();
    const sent: { to: string; digest: TeamDigest }[] = [];
    let failOnce = options.failAt;
    const publisher: DigestPublisher = {
      publish: async (to, digest) => {
        if (failOnce === to.conversationId) {
          failOnce = undefined;
          throw new Error('connector down');
        }
        sent.push({ to: to.conversationId, digest });
        return `m${sent.length}`;
      },
    };
    const catalog = catalogOf([alice, bob, payments, search]);
    const service = new CatalogDigestService({ runs, waivers, catalog, recipients: new DigestRecipientResolver({ catalog, conversations }), deliveries, fixes: new InMemoryFixRecordStore(), publisher, rules: RULES, settings: { maxPerRule: 5, allGood: options.allGood ?? false }, clock: () => new Date('2026-12-07T09:00:00Z') });
    await conversations.save({ key: teamChannelKey('19:payments@thread.tacv2'), conversationId: '19:payments@thread.tacv2', conversationType: 'channel', teamId: '19:payments@thread.tacv2', aadGroupId: 'g-payments', serviceUrl: 'http://x', reference: {} });
    await conversations.save({ key: 'user:u-bob', conversationId: 'a:bob', conversationType: 'personal', aadObjectId: 'u-bob', serviceUrl: 'http://x', reference: {} });
    await runs.saveRun(run('w1', '2026-11-30T08:00:00Z'), [teamHealth('w1', [finding(API, 'owner-missing'), finding(WEB, 'contact-missing')])]);
    await runs.saveRun(run('w1b', '2026-12-03T08:00:00Z'), [teamHealth('w1b', [])]);
    await runs.saveRun(run('w2', '2026-12-07T08:00:00Z'), [teamHealth('w2', [finding(API, 'owner-missing'), finding(API, 'production-runbook-missing')]), teamHealth('w2', [], 'group:default/team-search'), teamHealth('w2', [finding('component:default/x', 'owner-missing')], 'group:default/toast-infra')]);
    return { service, sent, deliveries, waivers };
  }

  it('one card per team with failing checks, to its channel, compared with the run a week earlier; teams with nothing failing get nothing', async () => {
    const { service, sent } = await setup();
    const totals = await service.runOccurrence('catalog-digest:1');
    expect(sent.map((s) => s.to)).toEqual(['19:payments@thread.tacv2']);
    expect(sent[0]!.digest).toMatchObject({ team: TEAM, teamName: 'Payments', failing: 2, newCount: 1, fixed: [{ ref: WEB, ruleId: 'contact-missing' }], previousRunAt: new Date('2026-11-30T08:00:00Z') });
    expect(totals).toMatchObject({ teams: 3, sent: 1, nothingFailing: 1, unreachableTeams: 1, failed: 0 });
  });

  it('"all good" when configured: a team with nothing failing gets the short card (to its member 1:1 here)', async () => {
    const { service, sent } = await setup({ allGood: true });
    await service.runOccurrence('catalog-digest:1');
    expect(sent.map((s) => [s.to, s.digest.failing])).toEqual([['19:payments@thread.tacv2', 2], ['a:bob', 0]]);
  });

  it('exactly once per team per occurrence: a re-run after a failure sends only what is missing; the next occurrence sends again', async () => {
    const { service, sent } = await setup({ allGood: true, failAt: 'a:bob' });
    await expect(service.runOccurrence('catalog-digest:1')).rejects.toMatchObject({ code: 'DIGEST.DELIVERY_FAILED' });
    expect(sent.map((s) => s.to)).toEqual(['19:payments@thread.tacv2']);
    const again = await service.runOccurrence('catalog-digest:1');
    expect(sent.map((s) => s.to)).toEqual(['19:payments@thread.tacv2', 'a:bob']);
    expect(again).toMatchObject({ sent: 1, alreadyDelivered: 1 });
    await service.runOccurrence('catalog-digest:1');
    expect(sent).toHaveLength(2);
    await service.runOccurrence('catalog-digest:2');
    expect(sent).toHaveLength(4);
  });

  it('a snooze set after the run hides its check from the next digest', async () => {
    const { service, sent, waivers } = await setup();
    await waivers.put({ ref: API, ruleId: 'production-runbook-missing', kind: 'snooze', until: new Date('2027-01-06T00:00:00Z'), by: { id: 'u', name: 'U' }, at: new Date() });
    await service.runOccurrence('catalog-digest:1');
    expect(sent[0]!.digest.groups.map((g) => g.ruleId)).toEqual(['owner-missing']);
    expect(sent[0]!.digest.waived).toBe(1);
  });

  it('no health run yet: nothing sent, no failure', async () => {
    const service = new CatalogDigestService({ runs: new InMemoryHealthRunStore(), waivers: new InMemoryHealthWaiverStore(), catalog: catalogOf([]), recipients: new DigestRecipientResolver({ catalog: catalogOf([]), conversations: new InMemoryConversationDirectory() }), deliveries: new InMemoryDigestDeliveryStore(), fixes: new InMemoryFixRecordStore(), publisher: { publish: async () => { throw new Error('never'); } }, rules: RULES, settings: { maxPerRule: 5, allGood: true } });
    await expect(service.runOccurrence('catalog-digest:1')).resolves.toMatchObject({ teams: 0, sent: 0 });
  });
});
