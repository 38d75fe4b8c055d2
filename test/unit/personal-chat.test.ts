/** PersonalChats: the recorded 1:1 chat first, else the app installed through Graph and its chat remembered; refusals answered, outages thrown. */
import { NO_PERSONAL_CHAT, PersonalChats } from '../../src/bot/personal-chat';
import { userMessageFor } from '../../src/bot/messages';
import { DomainError } from '../../src/domain/domain-error';
import { DEMO_TEAMS_APP, DEMO_TENANT_ID, userBySlug } from '../../src/sandbox/seed/demo-org';
import { personalChatId } from '../../src/sandbox/standins/graph-teamwork';
import { InMemoryAppInstallation } from '../fakes/in-memory-app-installation';
import { InMemoryConversationDirectory } from '../fakes/in-memory-conversation-directory';

const SERVICE_URL = 'https://smba.trafficmanager.net/teams/';
const BOT_APP_ID = DEMO_TEAMS_APP.externalId;
const alice = userBySlug('alice');
const henry = userBySlug('henry');
const ivan = userBySlug('ivan');

/** `null`: no Graph configured. */
function world(given?: InMemoryAppInstallation | null) {
  const installation = given === null ? undefined : (given ?? new InMemoryAppInstallation());
  const conversations = new InMemoryConversationDirectory();
  const chats = new PersonalChats({ conversations, installation, serviceUrl: SERVICE_URL, tenantId: DEMO_TENANT_ID, botAppId: BOT_APP_ID, botName: 'IDP bot' });
  return { conversations, installation, chats };
}

test('a recorded personal chat is used as it is, with no Graph call', async () => {
  const { conversations, installation, chats } = world();
  const reference = { channelId: 'msteams', serviceUrl: 'https://smba.example/emea/', conversation: { id: 'a:recorded-1on1', conversationType: 'personal' } };
  await conversations.save({ key: `user:${alice.id}`, conversationId: 'a:recorded-1on1', conversationType: 'personal', aadObjectId: alice.id, userId: alice.teamsId, serviceUrl: reference.serviceUrl, reference });
  await expect(chats.referenceFor(alice.id)).resolves.toEqual({ reference, installedNow: false });
  expect(installation!.calls).toBe(0);
});

test('no recorded chat: the chat of the installed app, addressed as Teams needs it, and remembered', async () => {
  const { conversations, installation, chats } = world();
  const chatId = personalChatId(BOT_APP_ID, alice.id);
  const answer = await chats.referenceFor(alice.id);
  expect(answer).toEqual({
    installedNow: false,
    reference: {
      channelId: 'msteams',
      serviceUrl: SERVICE_URL,
      conversation: { id: chatId, conversationType: 'personal', isGroup: false, tenantId: DEMO_TENANT_ID, name: '' },
      bot: { id: `28:${BOT_APP_ID}`, name: 'IDP bot' },
    },
  });
  expect(await conversations.findByAadObjectId(alice.id)).toMatchObject({ key: `user:${alice.id}`, conversationId: chatId, conversationType: 'personal', tenantId: DEMO_TENANT_ID, serviceUrl: SERVICE_URL });
  // The next time needs no Graph call.
  await expect(chats.referenceFor(alice.id)).resolves.toEqual({ reference: (answer as { reference: unknown }).reference, installedNow: false });
  expect(installation!.calls).toBe(1);
});

test('someone who never opened Teams: the app is installed for them', async () => {
  const { installation, chats } = world();
  const answer = await chats.referenceFor(henry.id);
  expect(answer).toMatchObject({ installedNow: true, reference: { conversation: { id: personalChatId(BOT_APP_ID, henry.id) } } });
  expect(installation!.installed.has(henry.id)).toBe(true);
});

test.each([
  ['a disabled account', ivan.id, new InMemoryAppInstallation(), 'CONVERSATION.INSTALL_FORBIDDEN'],
  ['an unknown person', '99999999-0000-4000-a000-000000000999', new InMemoryAppInstallation(), 'CONVERSATION.USER_NOT_FOUND'],
  ['an app not in the org catalog', henry.id, new InMemoryAppInstallation({ published: false }), 'CONVERSATION.APP_NOT_IN_CATALOG'],
  ['no Graph configured', henry.id, null, NO_PERSONAL_CHAT],
])('%s: unreachable with a code that has words, nothing remembered', async (_case, userId, installation, code) => {
  const { conversations, chats } = world(installation);
  await expect(chats.referenceFor(userId)).resolves.toEqual({ unreachable: code });
  expect(await conversations.findByAadObjectId(userId)).toBeNull();
  expect(userMessageFor(new DomainError(code, 'x'), 'ref').text).not.toMatch(/something went wrong/);
});

test('an outage is thrown (it passes; the caller retries), and nothing is remembered', async () => {
  const installation = new InMemoryAppInstallation();
  installation.outage = new DomainError('UPSTREAM.THROTTLED', 'Microsoft Graph is throttling requests.');
  const { conversations, chats } = world(installation);
  await expect(chats.referenceFor(henry.id)).rejects.toMatchObject({ code: 'UPSTREAM.THROTTLED' });
  expect(await conversations.findByAadObjectId(henry.id)).toBeNull();
});
