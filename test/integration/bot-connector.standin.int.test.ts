import { ConnectorClient, MicrosoftAppCredentials, TeamsConnectorClient } from 'botframework-connector';
import { BotConnectorStandIn } from '../../src/sandbox/standins/bot-connector.standin';
import { DEMO_TEAMS, DEMO_TENANT_ID, DEMO_USERS, USERS, userBySlug } from '../../src/sandbox/seed/demo-org';

type Credentials = ConstructorParameters<typeof ConnectorClient>[0];

// The real ConnectorClient against the stand-in: the routes, bodies and status codes it expects.
describe('BotConnectorStandIn with the real ConnectorClient', () => {
  const standIn = new BotConnectorStandIn();
  let client: ConnectorClient;
  const alice = userBySlug('alice');
  const bot = { id: '28:bot', name: 'IDP bot' };
  const conversationId = `a:personal-${alice.id}`;

  beforeAll(async () => {
    const baseUri = await standIn.start();
    client = new ConnectorClient(MicrosoftAppCredentials.Empty, { baseUri });
  });
  afterAll(() => standIn.close());
  beforeEach(() => standIn.reset());

  it('stores a sent activity and a reply, and answers with new ids', async () => {
    const sent = await client.conversations.sendToConversation(conversationId, { type: 'message', text: 'hello', from: bot } as never);
    const reply = await client.conversations.replyToActivity(conversationId, sent.id, { type: 'message', text: 're: hello', from: bot } as never);

    expect(sent.id).toMatch(/^\d+$/);
    expect(reply.id).not.toBe(sent.id);
    const stored = standIn.activities(conversationId);
    expect(stored.map((a) => [a.id, a.text, a.replyToId])).toEqual([
      [sent.id, 'hello', undefined],
      [reply.id, 're: hello', sent.id],
    ]);
    expect(stored[0].conversation?.id).toBe(conversationId);
  });

  it('applies updates and deletes', async () => {
    const first = await client.conversations.sendToConversation(conversationId, { type: 'message', text: 'v1' } as never);
    const second = await client.conversations.sendToConversation(conversationId, { type: 'message', text: 'doomed' } as never);

    await client.conversations.updateActivity(conversationId, first.id, { type: 'message', id: first.id, text: 'v2' } as never);
    await client.conversations.deleteActivity(conversationId, second.id);

    expect(standIn.activities(conversationId).map((a) => [a.id, a.text])).toEqual([[first.id, 'v2']]);
    await expect(client.conversations.updateActivity(conversationId, 'nope', { type: 'message', text: 'x' } as never)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('exposes the activities on its control route', async () => {
    const threadId = `${DEMO_TEAMS[0].channelId};messageid=1700000000000`;
    await client.conversations.sendToConversation(threadId, { type: 'message', text: 'in a thread' } as never);

    const res = await fetch(`${standIn.baseUrl}/_standin/conversations/${encodeURIComponent(threadId)}/activities`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { text: string }[]).map((a) => a.text)).toEqual(['in a thread']);
  });

  it('waits for activities and times out with a useful message', async () => {
    const waiting = standIn.waitForActivities(conversationId, 2, 2000);
    await client.conversations.sendToConversation(conversationId, { type: 'message', text: 'one' } as never);
    await client.conversations.sendToConversation(conversationId, { type: 'message', text: 'two' } as never);
    expect((await waiting).map((a) => a.text)).toEqual(['one', 'two']);

    await expect(standIn.waitForActivities(conversationId, 3, 50)).rejects.toThrow('2/3 activities');
  });

  it('answers members from the seeded directory, a team channel with its team, and 404 for a stranger', async () => {
    const all = await client.conversations.getConversationMembers(conversationId);
    expect(all.length).toBeGreaterThanOrEqual(8);

    const member = await client.conversations.getConversationMember(conversationId, alice.teamsId);
    expect(member).toMatchObject({
      id: alice.teamsId,
      name: alice.displayName,
      aadObjectId: alice.id,
      userPrincipalName: alice.userPrincipalName,
      email: alice.userPrincipalName,
      tenantId: DEMO_TENANT_ID,
    });

    const payments = DEMO_TEAMS[0];
    const team = await client.conversations.getConversationMembers(payments.channelId);
    expect(team.map((m) => (m as unknown as { aadObjectId: string }).aadObjectId).sort()).toEqual([...payments.memberIds].sort());

    const missing = client.conversations.getConversationMember(payments.channelId, USERS.erin.teamsId);
    await expect(missing).rejects.toMatchObject({ statusCode: 404 });
    const raw = await fetch(`${standIn.baseUrl}/v3/conversations/${encodeURIComponent(payments.channelId)}/members/29%3Anobody`);
    expect(await raw.json()).toMatchObject({ error: { code: 'MemberNotFound' } });
  });

  it('pages members with a continuation token', async () => {
    // The SDK's options type wrongly makes continuationToken required.
    const first = await client.conversations.getConversationPagedMembers(conversationId, { pageSize: 5 } as never);
    expect(first.members).toHaveLength(5);
    expect(first.continuationToken).toBeTruthy();
    const seen = [...first.members];
    let token = first.continuationToken;
    while (token) {
      const next = await client.conversations.getConversationPagedMembers(conversationId, { pageSize: 5, continuationToken: token });
      expect(next.members.length).toBeLessThanOrEqual(5);
      seen.push(...next.members);
      token = next.continuationToken;
    }
    // Every member of the tenant once.
    expect(seen.map((m) => m.aadObjectId).sort()).toEqual(DEMO_USERS.map((u) => u.id).sort());
  });

  it('creates a 1:1 conversation (the same one each time) and a channel thread', async () => {
    const params = { isGroup: false, bot, members: [{ id: alice.teamsId }], tenantId: DEMO_TENANT_ID, channelData: { tenant: { id: DEMO_TENANT_ID } } };
    const created = await client.conversations.createConversation({ ...params, activity: { type: 'message', text: 'hi Alice' } } as never);
    const again = await client.conversations.createConversation(params as never);

    expect(created.serviceUrl).toBe(standIn.baseUrl);
    expect(again.id).toBe(created.id);
    expect(standIn.activities(created.id).map((a) => [a.id, a.text])).toEqual([[created.activityId, 'hi Alice']]);

    const channelId = DEMO_TEAMS[1].channelId;
    const thread = await client.conversations.createConversation({
      isGroup: true,
      bot,
      channelData: { channel: { id: channelId } },
      activity: { type: 'message', text: 'announcement' },
    } as never);
    expect(thread.id).toBe(`${channelId};messageid=${thread.activityId}`);
    expect(standIn.activities(thread.id).map((a) => a.text)).toEqual(['announcement']);
  });

  it('answers team details and channels for the TeamsConnectorClient', async () => {
    const teams = new TeamsConnectorClient(MicrosoftAppCredentials.Empty, { baseUri: standIn.baseUrl });
    const payments = DEMO_TEAMS[0];
    const details = await teams.teams.fetchTeamDetails(payments.channelId);
    expect(details).toMatchObject({ id: payments.channelId, name: payments.displayName, aadGroupId: payments.id, memberCount: payments.memberIds.length });
    const channels = await teams.teams.fetchChannelList(payments.channelId);
    expect(channels.conversations?.map((c) => c.id)).toEqual([payments.channelId]);
    await expect(teams.teams.fetchTeamDetails('19:unknown@thread.tacv2')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('stores a history transcript', async () => {
    await client.conversations.sendConversationHistory(conversationId, { activities: [{ type: 'message', text: 'old' }] } as never);
    expect(standIn.activities(conversationId)).toEqual([expect.objectContaining({ text: 'old', isHistory: true })]);
  });
});

describe('BotConnectorStandIn with requireAuth', () => {
  const standIn = new BotConnectorStandIn({ requireAuth: (header) => header === 'Bearer good' });
  const bearer = (token: string): Credentials => ({
    signRequest: async (request: { headers: { set(name: string, value: string): void } }) => {
      request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  }) as unknown as Credentials;

  beforeAll(() => standIn.start());
  afterAll(() => standIn.close());

  it('refuses a missing or wrong Authorization header with 401 and accepts the right one', async () => {
    const options = { baseUri: standIn.baseUrl };
    const send = (client: ConnectorClient) => client.conversations.sendToConversation('a:x', { type: 'message', text: 't' } as never);

    await expect(send(new ConnectorClient(MicrosoftAppCredentials.Empty, options))).rejects.toMatchObject({ statusCode: 401 });
    await expect(send(new ConnectorClient(bearer('bad'), options))).rejects.toMatchObject({ statusCode: 401 });
    await expect(send(new ConnectorClient(bearer('good'), options))).resolves.toHaveProperty('id');
    expect(standIn.activities('a:x')).toHaveLength(1);
    // The request log never keeps the token.
    expect(JSON.stringify(standIn.requests)).not.toContain('good');
  });
});
