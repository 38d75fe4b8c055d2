/**
 * Reaching a person the bot never talked to, over the real pieces: GraphAppInstallation against the
 * Graph stand-in, the conversation store on the run's MongoDB-compatible server, ProactiveMessenger
 * on a CloudAdapter posting to the Bot Connector stand-in, which (linked to the Graph stand-in, as
 * the sandbox links them) accepts a 1:1 chat only once the app is installed for that person.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { renderCatalogChoicesCard } from '../../cards/catalog-choices.card';
import { GraphAppInstallation } from '../../src/adapters/graph/graph-app-installation.adapter';
import { MongoConversationDirectory } from '../../src/adapters/mongo/mongo-conversation-directory.adapter';
import { PersonalChats } from '../../src/bot/personal-chat';
import { ProactiveMessenger } from '../../src/bot/proactive-messenger';
import { DEMO_TEAMS_APP, DEMO_TENANT_ID, userBySlug } from '../../src/sandbox/seed/demo-org';
import { startIdentityStandIns, type IdentityStandIns } from '../../src/sandbox/standins/azure-identity-standins';
import { BotConnectorStandIn } from '../../src/sandbox/standins/bot-connector.standin';
import { personalChatId } from '../../src/sandbox/standins/graph-teamwork';
import { openTestDatabase } from '../helpers/test-database';

const BOT = { clientId: DEMO_TEAMS_APP.externalId, clientSecret: 'personal-chat-secret' };
const henry = userBySlug('henry');
const ivan = userBySlug('ivan');
const henryChat = personalChatId(DEMO_TEAMS_APP.externalId, henry.id);
const card = renderCatalogChoicesCard({ heading: 'Please approve Henry Joiner', intent: 'owner', choices: [] });

describe('PersonalChats with Graph and the Bot Connector stand-in', () => {
  let ids: IdentityStandIns;
  let dataDir: string;
  let installation: GraphAppInstallation;
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let conversations: MongoConversationDirectory;
  const connector = new BotConnectorStandIn({ tenantId: DEMO_TENANT_ID });
  // Empty app id: no outbound token, as the sandbox runs the bot.
  const messenger = new ProactiveMessenger(new CloudAdapter(new ConfigurationBotFrameworkAuthentication({})), '');
  let chats: PersonalChats;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'personal-chat-'));
    ids = await startIdentityStandIns({ dataDir, tenantId: DEMO_TENANT_ID, clients: [BOT] });
    await connector.start();
    connector.linkPersonalChats((chatId) => ids.graph.teamwork.isChatOpen(chatId));
    const credential = new ClientSecretCredential(DEMO_TENANT_ID, BOT.clientId, BOT.clientSecret, ids.credentialOptions);
    installation = new GraphAppInstallation({ credential, ...ids.graphClientOptions, teamsAppExternalId: DEMO_TEAMS_APP.externalId, replicationDelayMs: 0 });
    db = await openTestDatabase('personalchat');
    conversations = new MongoConversationDirectory(db.conn);
  });
  afterAll(async () => {
    installation?.close();
    await connector.close();
    await ids?.close();
    await db?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    ids.graph.reset();
    ids.graph.requests.length = 0;
    connector.reset();
    await db.conn.db!.collection('conversations').deleteMany({});
    chats = new PersonalChats({ conversations, installation, serviceUrl: connector.baseUrl, tenantId: DEMO_TENANT_ID, botAppId: DEMO_TEAMS_APP.externalId, botName: 'IDP bot' });
  });

  it('the connector refuses the 1:1 chat before the app is installed (403, as Teams)', async () => {
    const client = new ConnectorClient(MicrosoftAppCredentials.Empty, { baseUri: connector.baseUrl });
    const refused = await client.conversations.sendToConversation(henryChat, { type: 'message', text: 'hi' } as never).catch((e: { statusCode?: number; code?: string }) => e);
    expect(refused).toMatchObject({ statusCode: 403, code: 'BotNotInConversationRoster' });
    expect(connector.activities(henryChat)).toEqual([]);
  });

  it('a card reaches a joiner with no recorded chat: installed through Graph, sent, and the chat remembered', async () => {
    const answer = await chats.referenceFor(henry.id);
    if (!('reference' in answer)) throw new Error(`unreachable: ${answer.unreachable}`);
    expect(answer.installedNow).toBe(true);

    const id = await messenger.sendCard(answer.reference, card);
    const [sent] = await connector.waitForActivities(henryChat, 1);
    expect(sent).toMatchObject({ id, type: 'message', conversation: { id: henryChat }, from: { id: `28:${DEMO_TEAMS_APP.externalId}` } });
    expect(JSON.stringify(sent!.attachments)).toContain('Please approve Henry Joiner');

    // The next card goes straight to the remembered chat: not one more Graph call.
    ids.graph.requests.length = 0;
    const again = await chats.referenceFor(henry.id);
    expect(again).toEqual({ reference: answer.reference, installedNow: false });
    expect(ids.graph.requests).toEqual([]);
    expect(await conversations.findByAadObjectId(henry.id)).toMatchObject({ conversationId: henryChat, serviceUrl: connector.baseUrl });
  });

  it('someone who cannot use Teams is unreachable, and nothing is sent', async () => {
    await expect(chats.referenceFor(ivan.id)).resolves.toEqual({ unreachable: 'CONVERSATION.INSTALL_FORBIDDEN' });
    expect(connector.activities(personalChatId(DEMO_TEAMS_APP.externalId, ivan.id))).toEqual([]);
  });

  it('an app uninstalled later: the remembered chat is refused as BOT_NOT_MEMBER (the caller forgets or reroutes)', async () => {
    const answer = await chats.referenceFor(henry.id);
    if (!('reference' in answer)) throw new Error('unreachable');
    ids.graph.teamwork.installations.clear();
    await expect(messenger.sendCard(answer.reference, card)).rejects.toMatchObject({ code: 'CONVERSATION.BOT_NOT_MEMBER' });
  });
});
