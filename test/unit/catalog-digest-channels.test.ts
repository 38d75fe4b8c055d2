/**
 * Where the digest goes when Teams changed: the bot removed from a team forgets its channel; a
 * channel Teams refuses for good falls back (named channel, then General, then members 1:1) without
 * failing the occurrence; a transient failure still fails it; a Group's link naming another channel
 * of the team sends the card there.
 */
import { teamRemovalOf } from '../../src/bot/conversation-recorder';
import { DigestRecipientResolver } from '../../src/domain/catalog-digest/digest-recipients';
import { CatalogDigestService, type DigestLogger, type DigestPublisher } from '../../src/domain/catalog-digest/digest.service';
import { teamChannelKey, type StoredConversation } from '../../src/domain/conversations/conversations.types';
import type { CatalogEntity } from '../../src/domain/catalog/catalog.types';
import { DomainError } from '../../src/domain/domain-error';
import { InMemoryConversationDirectory } from '../fakes/in-memory-conversation-directory';
import { InMemoryDigestDeliveryStore, InMemoryFixRecordStore } from '../fakes/in-memory-digest-stores';
import { InMemoryHealthRunStore, InMemoryHealthWaiverStore } from '../fakes/in-memory-health-stores';
import { entity, finding, RULES, run, TEAM, teamHealth } from '../fixtures/digest-fixtures';

const GENERAL = '19:payments-general@thread.tacv2';
const RELEASES = '19:payments-releases@thread.tacv2';
const GROUP_ID = '10000000-0000-4000-b000-000000000001';
const link = (channelId: string, name: string, groupId = GROUP_ID) => `https://teams.microsoft.com/l/channel/${encodeURIComponent(channelId)}/${name}?groupId=${groupId.toUpperCase()}&tenantId=t`;
const general: StoredConversation = {
  key: teamChannelKey(GENERAL),
  conversationId: GENERAL,
  conversationType: 'channel',
  teamId: GENERAL,
  aadGroupId: GROUP_ID,
  tenantId: 'tenant-1',
  serviceUrl: 'https://smba.example/emea/',
  reference: { bot: { id: 'bot' }, channelId: 'msteams', serviceUrl: 'https://smba.example/emea/', conversation: { id: GENERAL, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' } },
};
const personal = (aad: string): StoredConversation => ({ key: `user:${aad}`, conversationId: `a:${aad}`, conversationType: 'personal', aadObjectId: aad, serviceUrl: 'http://x', reference: {} });

describe('the bot removed from a team', () => {
  const base = { recipient: { id: 'bot' }, channelData: { team: { id: GENERAL, aadGroupId: GROUP_ID } } };
  it('conversationUpdate with the bot among membersRemoved, installationUpdate remove, or the team deleted; a person leaving is not', () => {
    expect(teamRemovalOf({ ...base, type: 'conversationUpdate', membersRemoved: [{ id: 'bot' }], channelData: { ...base.channelData, eventType: 'teamMemberRemoved' } } as never)).toEqual({ teamId: GENERAL });
    expect(teamRemovalOf({ ...base, type: 'installationUpdate', action: 'remove' } as never)).toEqual({ teamId: GENERAL });
    expect(teamRemovalOf({ ...base, type: 'conversationUpdate', channelData: { ...base.channelData, eventType: 'teamDeleted' } } as never)).toEqual({ teamId: GENERAL });
    expect(teamRemovalOf({ ...base, type: 'conversationUpdate', membersRemoved: [{ id: '29:alice' }] } as never)).toBeNull();
    expect(teamRemovalOf({ ...base, type: 'installationUpdate', action: 'add' } as never)).toBeNull();
    expect(teamRemovalOf({ type: 'installationUpdate', action: 'remove', recipient: { id: 'bot' } } as never)).toBeNull(); // a personal uninstall
  });
});

describe('the channels a Group is tried in', () => {
  const users = [entity('user:default/alice', { profile: { aadObjectId: 'u-alice' } })];
  const catalog = { getMany: async (refs: string[]) => users.filter((u) => refs.includes(u.ref)) };
  const group = (extra: Partial<CatalogEntity>) => entity(TEAM, { kind: 'Group', members: users.map((u) => u.ref), ...extra });

  it("the channel its link names comes first, addressed by the channel id like the team's General; then General", async () => {
    const conversations = new InMemoryConversationDirectory();
    await conversations.save(general);
    const resolver = new DigestRecipientResolver({ catalog, conversations });
    const r = await resolver.resolve(group({ contacts: { teamsChannelUrl: link(RELEASES, 'Releases') } }));
    expect(r.via).toBe('channel');
    const [named, then] = (r as { conversations: StoredConversation[] }).conversations;
    expect(named).toMatchObject({ conversationId: RELEASES, conversationType: 'channel', serviceUrl: general.serviceUrl, tenantId: 'tenant-1', teamId: GENERAL });
    expect(named!.reference).toEqual({ ...general.reference, conversation: { id: RELEASES, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1', name: 'Releases' } });
    expect(then).toMatchObject({ key: teamChannelKey(GENERAL) });
    expect((r as { conversations: unknown[] }).conversations).toHaveLength(2);
  });

  it('a link naming General, or a team the bot is not in, is the General channel alone (or nothing)', async () => {
    const conversations = new InMemoryConversationDirectory();
    await conversations.save(general);
    const resolver = new DigestRecipientResolver({ catalog, conversations });
    expect(await resolver.resolve(group({ contacts: { teamsChannelUrl: link(GENERAL, 'General') } }))).toMatchObject({ via: 'channel', conversations: [{ conversationId: GENERAL }] });
    expect(await resolver.resolve(group({ profile: { aadObjectId: GROUP_ID }, contacts: { teamsChannelUrl: link('19:other@thread.tacv2', 'Other', '20000000-0000-4000-b000-000000000009') } }))).toMatchObject({ via: 'channel', conversations: [{ conversationId: GENERAL }] });
    await conversations.save(personal('u-alice'));
    expect(await resolver.resolve(group({ contacts: { teamsChannelUrl: link('19:other@thread.tacv2', 'Other', '20000000-0000-4000-b000-000000000009') } }))).toMatchObject({ via: 'members', conversations: [{ key: 'user:u-alice' }] });
  });
});

describe('CatalogDigestService when Teams refuses a channel', () => {
  const alice = entity('user:default/alice', { profile: { aadObjectId: 'u-alice' } });
  const bob = entity('user:default/bob', { profile: { aadObjectId: 'u-bob' } });
  const catalogOf = (entities: CatalogEntity[]) => ({ get: async (ref: string) => entities.find((e) => e.ref === ref) ?? null, getMany: async (refs: string[]) => entities.filter((e) => refs.includes(e.ref)) });

  /** `refused`: conversations the connector refuses for good; `transientOnce`: one that fails once with a 503. */
  async function setup(options: { refused?: string[]; transientOnce?: string; channelUrl?: string } = {}) {
    const payments = entity(TEAM, { kind: 'Group', profile: { displayName: 'Payments', aadObjectId: GROUP_ID }, members: [alice.ref, bob.ref], contacts: options.channelUrl ? { teamsChannelUrl: options.channelUrl } : {} });
    const conversations = new InMemoryConversationDirectory();
    const deliveries = new InMemoryDigestDeliveryStore();
    const runs = new InMemoryHealthRunStore();
    const sent: string[] = [];
    const attempts: string[] = [];
    let transient = options.transientOnce;
    const publisher: DigestPublisher = {
      publish: async (to) => {
        attempts.push(to.conversationId);
        if (options.refused?.includes(to.conversationId)) throw new DomainError('CONVERSATION.BOT_NOT_MEMBER', 'connector refused (403)', { conversationId: to.conversationId, status: 403 });
        if (transient === to.conversationId) {
          transient = undefined;
          throw Object.assign(new Error('Service Unavailable'), { statusCode: 503 });
        }
        sent.push(to.conversationId);
        return `m${sent.length}`;
      },
    };
    const warnings: { obj: object; msg?: string }[] = [];
    const logger: DigestLogger = { info: () => undefined, warn: (obj, msg) => void warnings.push({ obj, msg }) };
    const catalog = catalogOf([alice, bob, payments]);
    const service = new CatalogDigestService({ runs, waivers: new InMemoryHealthWaiverStore(), catalog, recipients: new DigestRecipientResolver({ catalog, conversations }), deliveries, fixes: new InMemoryFixRecordStore(), publisher, rules: RULES, settings: { maxPerRule: 5, allGood: false }, logger, clock: () => new Date('2026-12-07T09:00:00Z') });
    await conversations.save(general);
    await conversations.save(personal('u-alice'));
    await conversations.save(personal('u-bob'));
    await runs.saveRun(run('w2', '2026-12-07T08:00:00Z'), [teamHealth('w2', [finding('component:default/payments-api', 'owner-missing')])]);
    return { service, sent, attempts, conversations, warnings };
  }

  it('the General channel refused for good (bot removed): the members get it 1:1, the channel is forgotten and the log says so; the occurrence succeeds', async () => {
    const { service, sent, conversations, warnings } = await setup({ refused: [GENERAL] });
    await expect(service.runOccurrence('catalog-digest:1')).resolves.toMatchObject({ sent: 2, failed: 0 });
    expect(sent).toEqual(['a:u-alice', 'a:u-bob']);
    await expect(conversations.findTeamChannel({ teamId: GENERAL })).resolves.toBeNull();
    expect(warnings).toContainEqual({ obj: expect.objectContaining({ team: TEAM, conversationId: GENERAL, code: 'CONVERSATION.BOT_NOT_MEMBER', forgotten: true }), msg: expect.stringMatching(/refuses the team channel for good.*forgotten/) });
  });

  it('a transient failure (503) on the channel fails the occurrence; its retry sends to the channel once, nothing forgotten', async () => {
    const { service, sent, conversations } = await setup({ transientOnce: GENERAL });
    await expect(service.runOccurrence('catalog-digest:1')).rejects.toMatchObject({ code: 'DIGEST.DELIVERY_FAILED' });
    expect(sent).toEqual([]);
    await expect(conversations.findTeamChannel({ teamId: GENERAL })).resolves.not.toBeNull();
    await expect(service.runOccurrence('catalog-digest:1')).resolves.toMatchObject({ sent: 1, failed: 0 });
    await service.runOccurrence('catalog-digest:1');
    expect(sent).toEqual([GENERAL]);
  });

  it("the channel the Group's link names gets the card (not General); refused for good, General gets it; both refused, the members", async () => {
    const url = link(RELEASES, 'Releases');
    const named = await setup({ channelUrl: url });
    await named.service.runOccurrence('catalog-digest:1');
    expect(named.sent).toEqual([RELEASES]);

    const toGeneral = await setup({ channelUrl: url, refused: [RELEASES] });
    await expect(toGeneral.service.runOccurrence('catalog-digest:1')).resolves.toMatchObject({ sent: 1, failed: 0 });
    expect(toGeneral.attempts).toEqual([RELEASES, GENERAL]);
    await expect(toGeneral.conversations.findTeamChannel({ teamId: GENERAL })).resolves.not.toBeNull(); // General still takes cards

    const toMembers = await setup({ channelUrl: url, refused: [RELEASES, GENERAL] });
    await expect(toMembers.service.runOccurrence('catalog-digest:1')).resolves.toMatchObject({ sent: 2, failed: 0 });
    expect(toMembers.attempts).toEqual([RELEASES, GENERAL, 'a:u-alice', 'a:u-bob']);
  });

  it('a retry after a partial 1:1 fallback sends only the missing member card, and tries no channel already refused twice over', async () => {
    const { service, sent, attempts } = await setup({ refused: [GENERAL], transientOnce: 'a:u-bob' });
    await expect(service.runOccurrence('catalog-digest:1')).rejects.toMatchObject({ code: 'DIGEST.DELIVERY_FAILED' });
    expect(sent).toEqual(['a:u-alice']);
    await expect(service.runOccurrence('catalog-digest:1')).resolves.toMatchObject({ sent: 1, alreadyDelivered: 1 });
    expect(sent).toEqual(['a:u-alice', 'a:u-bob']);
    expect(attempts.filter((a) => a === GENERAL)).toHaveLength(1); // forgotten after the first refusal
  });
});
