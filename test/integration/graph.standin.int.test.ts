/**
 * The Graph stand-in through the real @microsoft/microsoft-graph-client (our GraphDirectory adapter
 * and createGraphClient) with tokens from the Entra stand-in: directory reads, the Teams and mail
 * routes onboarding will use, and how HTTP failures become UPSTREAM.* domain errors.
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import type { Client } from '@microsoft/microsoft-graph-client';
import { createGraphClient, type GraphClientHandle } from '../../src/adapters/graph/graph-client';
import { GraphDirectory, type GraphDirectoryOptions } from '../../src/adapters/graph/graph-directory.adapter';
import { isDomainError, type DomainError } from '../../src/domain/domain-error';
import { startIdentityStandIns, type IdentityStandIns } from '../../src/sandbox/standins/azure-identity-standins';
import { DEMO_DOMAIN, DEMO_TEAMS, DEMO_TENANT_ID, userBySlug } from '../../src/sandbox/seed/demo-org';

const BOT = { clientId: '11111111-0000-4000-8000-00000000b07a', clientSecret: 'bot-graph-secret' };
const NO_ROLES = { clientId: '11111111-0000-4000-8000-0000000000ff', clientSecret: 'unprivileged-secret', roles: [] as string[] };
const alice = userBySlug('alice');
const bob = userBySlug('bob');
const frank = userBySlug('frank');
const payments = DEMO_TEAMS.find((t) => t.name === 'team-payments')!;
const search = DEMO_TEAMS.find((t) => t.name === 'team-search')!;

describe('GraphStandIn with the real Graph client', () => {
  let ids: IdentityStandIns;
  let dataDir: string;
  const closeables: { close(): void }[] = [];

  const credential = (c: { clientId: string; clientSecret: string }) => new ClientSecretCredential(DEMO_TENANT_ID, c.clientId, c.clientSecret, ids.credentialOptions);
  const directory = (options: Partial<GraphDirectoryOptions> = {}, c: { clientId: string; clientSecret: string } = BOT) => {
    const d = new GraphDirectory({ credential: credential(c), ...ids.graphClientOptions, ...options });
    closeables.push(d);
    return d;
  };
  const graphClient = (): Client => {
    const handle: GraphClientHandle = createGraphClient({ credential: credential(BOT), ...ids.graphClientOptions });
    closeables.push(handle);
    return handle.client;
  };
  const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as DomainError);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-standin-'));
    ids = await startIdentityStandIns({ dataDir, tenantId: DEMO_TENANT_ID, clients: [BOT, NO_ROLES] });
  });
  afterAll(async () => {
    for (const c of closeables) c.close();
    await ids?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    ids.graph.reset();
    ids.graph.clearFaults();
    ids.graph.requests.length = 0;
    ids.entra.requests.length = 0;
  });

  describe('directory reads through GraphDirectory', () => {
    it('sends one token for many calls, only over https, and the log keeps no token', async () => {
      const d = directory({ pageSize: 1 });
      await d.getUser(alice.id);
      await d.getManager(alice.id);
      await d.groupsOf(alice.id);
      await d.membersOf(payments.id);

      expect(ids.entra.requests.filter((r) => r.path.endsWith('/token'))).toHaveLength(1);
      expect(ids.graph.requests.every((r) => r.headers.authorization === 'Bearer [redacted]')).toBe(true);
      // pageSize 1: the three payments members take three pages, followed by @odata.nextLink
      const memberPages = ids.graph.requests.filter((r) => r.path === `/v1.0/groups/${payments.id}/transitiveMembers/microsoft.graph.user`);
      expect(memberPages.map((r) => r.query.includes('$skiptoken'))).toEqual([false, true, true]);
    });

    it('reads a user by UPN with $select, as Graph returns selected properties only', async () => {
      await directory().getUser(alice.userPrincipalName);
      const [request] = ids.graph.requests;
      expect(request.path).toBe(`/v1.0/users/${alice.userPrincipalName}`);
      expect(decodeURIComponent(request.query)).toContain('$select=id,userPrincipalName,displayName,mail,jobTitle,department,accountEnabled');
    });
  });

  describe('errors become UPSTREAM.* domain errors', () => {
    it('403 Authorization_RequestDenied (an app without Graph permissions) -> UPSTREAM.FORBIDDEN', async () => {
      const error = await failure(directory({}, NO_ROLES).getUser(alice.id));
      expect(isDomainError(error) && [error.code, error.details.status, error.details.graphCode]).toEqual(['UPSTREAM.FORBIDDEN', 403, 'Authorization_RequestDenied']);
    });

    it('a token the credential cannot get (wrong client secret) -> UPSTREAM.FORBIDDEN, nothing sent to Graph', async () => {
      const error = await failure(directory({}, { clientId: BOT.clientId, clientSecret: 'wrong' }).getUser(alice.id));
      expect(isDomainError(error) && error.code).toBe('UPSTREAM.FORBIDDEN');
      expect(ids.graph.requests).toHaveLength(0);
    });

    it('429 after the SDK retries (Retry-After honoured) -> UPSTREAM.THROTTLED; one 429 is ridden out', async () => {
      ids.graph.addFault({ kind: 'status', status: 429, retryAfterSeconds: 0, path: '^/v1.0/users/', times: 1 });
      expect((await directory().getUser(alice.id))?.id).toBe(alice.id);

      ids.graph.addFault({ kind: 'status', status: 429, retryAfterSeconds: 0, path: '^/v1.0/users/', times: 2 });
      const error = await failure(directory({ retry: { maxRetries: 1 } }).getUser(alice.id));
      expect(isDomainError(error) && [error.code, error.details.retryAfterSeconds]).toEqual(['UPSTREAM.THROTTLED', 0]);
    });

    it('5xx, dropped connections and timeouts -> UPSTREAM.UNAVAILABLE', async () => {
      const d = directory({ retry: { maxRetries: 0 }, timeoutMs: 300 });
      ids.graph.addFault({ kind: 'status', status: 500, times: 1 });
      expect(await failure(d.groupsOf(alice.id))).toMatchObject({ code: 'UPSTREAM.UNAVAILABLE', details: { status: 500 } });
      ids.graph.addFault({ kind: 'drop', times: 1 });
      expect(await failure(d.getManager(alice.id))).toMatchObject({ code: 'UPSTREAM.UNAVAILABLE', details: { status: -1 } });
      ids.graph.addFault({ kind: 'timeout', times: 1 });
      expect(await failure(d.membersOf(payments.id))).toMatchObject({ code: 'UPSTREAM.UNAVAILABLE' });
    });

    it('an unsupported query (400) is not mistaken for "not found"', async () => {
      ids.graph.addFault({ kind: 'status', status: 400, times: 1 });
      expect(await failure(directory().getUser(alice.id))).toMatchObject({ code: 'UPSTREAM.UNAVAILABLE', details: { status: 400 } });
    });
  });

  describe('token checks', () => {
    const rawGet = (urlPath: string, token?: string) =>
      new Promise<{ status: number; body: { error?: { code: string } } }>((resolve, reject) => {
        https
          .get(`${ids.graph.baseUrl}${urlPath}`, { ca: ids.tls.caCertPem, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
          })
          .on('error', reject);
      });

    it('401 InvalidAuthenticationToken without a token, with a Key Vault token or an expired one', async () => {
      expect(await rawGet('/v1.0/users')).toMatchObject({ status: 401, body: { error: { code: 'InvalidAuthenticationToken' } } });
      expect(await rawGet('/v1.0/users', ids.entra.issueToken(BOT.clientId, 'https://vault.azure.net'))).toMatchObject({ status: 401 });
      expect(await rawGet('/v1.0/users', ids.entra.issueToken(BOT.clientId, 'https://graph.microsoft.com', -10))).toMatchObject({ status: 401 });
      expect(await rawGet('/v1.0/users', ids.entra.issueToken(BOT.clientId, 'https://graph.microsoft.com'))).toMatchObject({ status: 200 });
    });
  });

  describe('users, groups, Teams and mail through the Graph client', () => {
    it('lists users with $filter, $select, $top and @odata.nextLink', async () => {
      const graph = graphClient();
      const first = await graph.api('/users').filter(encodeURIComponent("startswith(jobTitle,'Software') and accountEnabled eq true")).select('id,displayName').top(2).get();
      expect(first.value).toEqual([
        { id: alice.id, displayName: 'Alice Developer' },
        { id: userBySlug('dave').id, displayName: 'Dave Searcher' },
      ]);
      const second = await graph.api(first['@odata.nextLink']).get();
      // Ivan is a software engineer too, but his account is disabled.
      expect(second.value).toEqual([
        { id: frank.id, displayName: 'Frank Newjoiner' },
        { id: userBySlug('henry').id, displayName: 'Henry Joiner' },
      ]);
      expect(second['@odata.nextLink']).toBeUndefined();

      await expect(graph.api('/users').filter(encodeURIComponent("endswith(mail,'x')")).get()).rejects.toMatchObject({ statusCode: 400 });
      await expect(graph.api('/users').select('shoeSize').get()).rejects.toMatchObject({ statusCode: 400 });
    });

    it('creates a user (the password never logged), sets the manager, adds them to a group and a team', async () => {
      const graph = graphClient();
      const created = await graph.api('/users').post({
        accountEnabled: false,
        displayName: 'Nina Newhire',
        mailNickname: 'nina',
        userPrincipalName: `nina@${DEMO_DOMAIN}`,
        jobTitle: 'Software Engineer',
        passwordProfile: { forceChangePasswordNextSignIn: true, password: 'Initial-P4ssw0rd!' },
      });
      expect(created).toMatchObject({ displayName: 'Nina Newhire', userPrincipalName: `nina@${DEMO_DOMAIN}` });
      await expect(graph.api('/users').post({ accountEnabled: true, displayName: 'Nina Again', mailNickname: 'nina2', userPrincipalName: `nina@${DEMO_DOMAIN}`, passwordProfile: { password: 'x' } })).rejects.toMatchObject({ statusCode: 400 });
      expect(JSON.stringify(ids.graph.requests)).not.toContain('Initial-P4ssw0rd!');

      await graph.api(`/users/${created.id}/manager/$ref`).put({ '@odata.id': `https://graph.microsoft.com/v1.0/users/${bob.id}` });
      expect((await graph.api(`/users/${created.id}/manager`).get()).id).toBe(bob.id);

      const ref = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${created.id}` };
      await graph.api(`/groups/${payments.id}/members/$ref`).post(ref);
      await expect(graph.api(`/groups/${payments.id}/members/$ref`).post(ref)).rejects.toMatchObject({ statusCode: 400, code: 'Request_BadRequest' });

      const membership = await graph.api(`/teams/${search.id}/members`).post({
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        roles: [],
        'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${created.id}')`,
      });
      expect(membership).toMatchObject({ userId: created.id, roles: [] });
      const joined = await graph.api(`/users/${created.id}/joinedTeams`).get();
      expect(joined.value.map((t: { id: string }) => t.id).sort()).toEqual([payments.id, search.id].sort());
      const teamMembers = await graph.api(`/teams/${search.id}/members`).get();
      expect(teamMembers.value.find((m: { userId: string }) => m.userId === search.managerId).roles).toEqual(['owner']);
    });

    it('reads a team, lists and creates channels, refuses a duplicate name and a group that is no team', async () => {
      const graph = graphClient();
      expect(await graph.api(`/teams/${payments.id}`).get()).toMatchObject({ id: payments.id, displayName: 'Payments', isArchived: false });
      const channels = await graph.api(`/teams/${payments.id}/channels`).get();
      expect(channels.value).toEqual([expect.objectContaining({ id: payments.channelId, displayName: 'General', membershipType: 'standard' })]);

      const created = await graph.api(`/teams/${payments.id}/channels`).post({ displayName: 'payments-api-alerts', description: 'Alerts', membershipType: 'standard' });
      expect(created.id).toMatch(/^19:[0-9a-f]{32}@thread\.tacv2$/);
      await expect(graph.api(`/teams/${payments.id}/channels`).post({ displayName: 'Payments-API-alerts' })).rejects.toMatchObject({ statusCode: 400, code: 'NameAlreadyExists' });
      await expect(graph.api('/teams/20000000-0000-4000-b000-000000000001').get()).rejects.toMatchObject({ statusCode: 404, code: 'NotFound' });
      await expect(graph.api('/groups/00000000-0000-4000-b000-00000000dead').get()).rejects.toMatchObject({ statusCode: 404, code: 'Request_ResourceNotFound' });
    });

    it('records sendMail (202) and rejects a message without recipients', async () => {
      const graph = graphClient();
      await graph.api(`/users/${bob.userPrincipalName}/sendMail`).post({
        message: { subject: 'Welcome Frank', body: { contentType: 'HTML', content: '<p>Hi</p>' }, toRecipients: [{ emailAddress: { address: frank.userPrincipalName } }] },
        saveToSentItems: false,
      });
      expect(ids.graph.sentMail).toEqual([expect.objectContaining({ from: bob.userPrincipalName, to: [frank.userPrincipalName], subject: 'Welcome Frank', contentType: 'HTML' })]);
      await expect(graph.api(`/users/${bob.id}/sendMail`).post({ message: { subject: 'x', toRecipients: [] } })).rejects.toMatchObject({ statusCode: 400, code: 'ErrorInvalidRecipients' });
    });
  });
});
