/**
 * The Graph stand-in's people search and its Teams app catalog / per-user installations, through
 * the real Graph client: the query rules Graph enforces ($search needs ConsistencyLevel), the wire
 * shapes, the status codes (201, 409, 403, 404) and the permissions per route, and what it keeps
 * across a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import type { Client } from '@microsoft/microsoft-graph-client';
import { createGraphClient, type GraphClientHandle } from '../../src/adapters/graph/graph-client';
import { DEMO_TEAMS_APP, DEMO_TENANT_ID, userBySlug } from '../../src/sandbox/seed/demo-org';
import { startIdentityStandIns, type IdentityStandIns } from '../../src/sandbox/standins/azure-identity-standins';
import { GRAPH_APP_ROLES } from '../../src/sandbox/standins/graph.standin';
import { installationIdOf, personalChatId } from '../../src/sandbox/standins/graph-teamwork';

const BOT = { clientId: DEMO_TEAMS_APP.externalId, clientSecret: 'teamwork-secret' };
const READER = { clientId: '11111111-0000-4000-8000-0000000a0010', clientSecret: 'reader-secret', roles: ['User.Read.All'] };
const FULL = { clientId: '11111111-0000-4000-8000-0000000a0011', clientSecret: 'full-secret', roles: [...GRAPH_APP_ROLES, 'TeamsAppInstallation.ReadWriteForUser.All'] };
const alice = userBySlug('alice');
const henry = userBySlug('henry');
const ivan = userBySlug('ivan');
const bind = (catalogId: string) => ({ 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalogId}` });
const q = (s: string) => encodeURIComponent(s);

describe('Graph stand-in: people search, app catalog and app installations', () => {
  let ids: IdentityStandIns;
  let dataDir: string;
  const handles: GraphClientHandle[] = [];
  const client = (c: { clientId: string; clientSecret: string } = BOT): Client => {
    const handle = createGraphClient({ credential: new ClientSecretCredential(DEMO_TENANT_ID, c.clientId, c.clientSecret, ids.credentialOptions), ...ids.graphClientOptions, retry: { maxRetries: 0 } });
    handles.push(handle);
    return handle.client;
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-teamwork-'));
    ids = await startIdentityStandIns({ dataDir, tenantId: DEMO_TENANT_ID, clients: [BOT, READER, FULL] });
  });
  afterAll(async () => {
    for (const h of handles) h.close();
    await ids?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    ids.graph.reset();
    ids.graph.clearFaults();
  });

  describe('$search on users', () => {
    it('needs ConsistencyLevel: eventual, as Graph does (400 without it)', async () => {
      const search = q('"displayName:ali"');
      await expect(client().api('/users').search(search).get()).rejects.toMatchObject({ statusCode: 400, code: 'Request_UnsupportedQuery', message: expect.stringMatching(/ConsistencyLevel: eventual/) });
      const found = await client().api('/users').header('ConsistencyLevel', 'eventual').search(search).select('id').get();
      expect(found.value).toEqual([{ id: alice.id }]);
    });

    it('refuses clauses without a property or without quotes', async () => {
      const graph = client();
      await expect(graph.api('/users').header('ConsistencyLevel', 'eventual').search(q('"ali"')).get()).rejects.toMatchObject({ statusCode: 400 });
      await expect(graph.api('/users').header('ConsistencyLevel', 'eventual').search(q('displayName:ali')).get()).rejects.toMatchObject({ statusCode: 400 });
      await expect(graph.api('/users').header('ConsistencyLevel', 'eventual').search(q('"shoeSize:42"')).get()).rejects.toMatchObject({ statusCode: 400 });
    });

    it('sorts with $orderby, but with $filter only as an advanced query ($count=true + ConsistencyLevel)', async () => {
      const graph = client();
      const all = await graph.api('/users').orderby('displayName desc').select('displayName').get();
      expect(all.value[0].displayName).toBe('Paula Head');
      const filter = q("startswith(displayName,'a')");
      await expect(graph.api('/users').filter(filter).orderby('displayName').get()).rejects.toMatchObject({ statusCode: 400, message: 'Sorting not supported for current query.' });
      await expect(graph.api('/users').header('ConsistencyLevel', 'eventual').query({ $count: 'true' }).filter(filter).orderby('displayName').select('id').get()).resolves.toMatchObject({ value: [{ id: alice.id }] });
    });
  });

  describe('app catalog and installations', () => {
    it('finds the org catalog app by manifest id (and distribution method)', async () => {
      const filter = q(`externalId eq '${DEMO_TEAMS_APP.externalId}' and distributionMethod eq 'organization'`);
      const page = await client().api('/appCatalogs/teamsApps').filter(filter).get();
      expect(page.value).toEqual([{ id: DEMO_TEAMS_APP.catalogId, externalId: DEMO_TEAMS_APP.externalId, displayName: 'IDP bot', distributionMethod: 'organization' }]);
      const none = await client().api('/appCatalogs/teamsApps').filter(q(`externalId eq '${DEMO_TEAMS_APP.externalId}' and distributionMethod eq 'store'`)).get();
      expect(none.value).toEqual([]);
    });

    it('lists installations with $expand=teamsApp and $filter=teamsApp/id, and answers the 1:1 chat', async () => {
      const graph = client();
      const list = await graph.api(`/users/${alice.id}/teamwork/installedApps`).expand('teamsApp').filter(q(`teamsApp/id eq '${DEMO_TEAMS_APP.catalogId}'`)).get();
      expect(list.value).toEqual([{ '@odata.type': '#microsoft.graph.userScopeTeamsAppInstallation', id: installationIdOf(alice.id, DEMO_TEAMS_APP.catalogId), teamsApp: expect.objectContaining({ id: DEMO_TEAMS_APP.catalogId }) }]);
      const chat = await graph.api(`/users/${alice.id}/teamwork/installedApps/${encodeURIComponent(list.value[0].id)}/chat`).get();
      expect(chat).toMatchObject({ id: personalChatId(DEMO_TEAMS_APP.externalId, alice.id), chatType: 'oneOnOne', tenantId: DEMO_TENANT_ID });
      expect(chat.id).toMatch(/^19:[0-9a-f-]+_[0-9a-f-]+@unq\.gbl\.spaces$/);
      await expect(graph.api(`/users/${henry.id}/teamwork/installedApps`).get()).resolves.toMatchObject({ value: [] });
      await expect(graph.api(`/users/${alice.id}/teamwork/installedApps`).expand('chat').get()).rejects.toMatchObject({ statusCode: 400 });
    });

    it('installs: 201 with no body, then 409 Conflict; the chat opens for the connector', async () => {
      const graph = client();
      const chatId = personalChatId(DEMO_TEAMS_APP.externalId, henry.id);
      expect(ids.graph.teamwork.isChatOpen(chatId)).toBe(false);
      const raw = await graph.api(`/users/${henry.id}/teamwork/installedApps`).responseType('raw' as never).post(bind(DEMO_TEAMS_APP.catalogId));
      expect([(raw as Response).status, await (raw as Response).text()]).toEqual([201, '']);
      expect(ids.graph.teamwork.isChatOpen(chatId)).toBe(true);
      await expect(graph.api(`/users/${henry.id}/teamwork/installedApps`).post(bind(DEMO_TEAMS_APP.catalogId))).rejects.toMatchObject({ statusCode: 409, code: 'Conflict' });
    });

    it('refuses a user who cannot use Teams, an unknown user, an unknown app and a malformed bind', async () => {
      const graph = client();
      await expect(graph.api(`/users/${ivan.id}/teamwork/installedApps`).post(bind(DEMO_TEAMS_APP.catalogId))).rejects.toMatchObject({ statusCode: 403, code: 'Forbidden' });
      await expect(graph.api('/users/99999999-0000-4000-a000-000000000999/teamwork/installedApps').post(bind(DEMO_TEAMS_APP.catalogId))).rejects.toMatchObject({ statusCode: 404 });
      await expect(graph.api(`/users/${henry.id}/teamwork/installedApps`).post(bind('00000000-0000-4000-8000-00000000dead'))).rejects.toMatchObject({ statusCode: 404 });
      await expect(graph.api(`/users/${henry.id}/teamwork/installedApps`).post({ teamsApp: DEMO_TEAMS_APP.catalogId })).rejects.toMatchObject({ statusCode: 400 });
      expect(ids.graph.teamwork.installations.has(installationIdOf(henry.id, DEMO_TEAMS_APP.catalogId))).toBe(false);
    });

    it('...SelfForUser installs only the app that is the caller; ReadWriteForUser installs any app', async () => {
      ids.graph.teamwork.addApp({ id: 'other-catalog-id', externalId: 'other-manifest-id', displayName: 'Other', distributionMethod: 'organization', azureADAppId: '22222222-0000-4000-8000-000000000000' });
      await expect(client().api(`/users/${henry.id}/teamwork/installedApps`).post(bind('other-catalog-id'))).rejects.toMatchObject({ statusCode: 403, message: expect.stringMatching(/not allowed to manage the Teams App/) });
      await client(FULL).api(`/users/${henry.id}/teamwork/installedApps`).post(bind('other-catalog-id'));
      expect(ids.graph.teamwork.installations.has(installationIdOf(henry.id, 'other-catalog-id'))).toBe(true);
    });

    it('checks the permissions per route (403 Authorization_RequestDenied)', async () => {
      const reader = client(READER);
      await expect(reader.api('/appCatalogs/teamsApps').get()).rejects.toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied' });
      await expect(reader.api(`/users/${alice.id}/teamwork/installedApps`).get()).rejects.toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied' });
      await expect(reader.api(`/users/${henry.id}/teamwork/installedApps`).post(bind(DEMO_TEAMS_APP.catalogId))).rejects.toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied' });
    });

    it('replication: the chat of a new installation reads 404 for chatLagReads reads; faults come from the fault list', async () => {
      const graph = client();
      ids.graph.teamwork.chatLagReads = 1;
      await graph.api(`/users/${henry.id}/teamwork/installedApps`).post(bind(DEMO_TEAMS_APP.catalogId));
      const chatPath = `/users/${henry.id}/teamwork/installedApps/${encodeURIComponent(installationIdOf(henry.id, DEMO_TEAMS_APP.catalogId))}/chat`;
      await expect(graph.api(chatPath).get()).rejects.toMatchObject({ statusCode: 404, code: 'NotFound' });
      await expect(graph.api(chatPath).get()).resolves.toMatchObject({ id: personalChatId(DEMO_TEAMS_APP.externalId, henry.id) });
      ids.graph.addFault({ path: 'teamwork/installedApps', kind: 'status', status: 429, retryAfterSeconds: 3, times: 1 });
      await expect(graph.api(chatPath).get()).rejects.toMatchObject({ statusCode: 429, code: 'TooManyRequests' });
    });

    it('keeps installations across a restart of the stand-in (state file)', async () => {
      const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-teamwork-state-'));
      const first = await startIdentityStandIns({ dataDir: stateDir, stateDir, tenantId: DEMO_TENANT_ID, clients: [BOT] });
      first.graph.teamwork.install(henry.id, DEMO_TEAMS_APP.catalogId);
      first.graph.saveState();
      await first.close();
      const second = await startIdentityStandIns({ dataDir: stateDir, stateDir, tenantId: DEMO_TENANT_ID, clients: [BOT] });
      try {
        expect(second.graph.teamwork.isChatOpen(personalChatId(DEMO_TEAMS_APP.externalId, henry.id))).toBe(true);
        expect(second.graph.teamwork.isChatOpen(personalChatId(DEMO_TEAMS_APP.externalId, ivan.id))).toBe(false);
      } finally {
        await second.close();
        fs.rmSync(stateDir, { recursive: true, force: true });
      }
    });
  });
});
