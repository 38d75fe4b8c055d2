/**
 * Stand-ins that keep their state in a file (what the sandbox does under DATA_DIR): changes made
 * over their real REST APIs are there after a restart on the same file, byte for byte in the
 * snapshot, and the seed is applied only when the file does not exist yet.
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { DEMO_ORG, DEMO_PROJECTS, DEMO_TENANT_ID, DEMO_USERS } from '../../src/sandbox/seed/demo-org';
import { AzureDevOpsStandIn } from '../../src/sandbox/standins/azure-devops.standin';
import { startIdentityStandIns, type IdentityStandIns } from '../../src/sandbox/standins/azure-identity-standins';
import { BotConnectorStandIn } from '../../src/sandbox/standins/bot-connector.standin';

const AUTH = { authorization: `Basic ${Buffer.from(':pat').toString('base64')}`, 'content-type': 'application/json' };
const CLIENT = { clientId: '11111111-0000-4000-8000-00000000be51', clientSecret: 'persist-client-secret' };

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'standin-persist-'));

async function startAdo(file: string): Promise<{ ado: AzureDevOpsStandIn; restored: boolean }> {
  const ado = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: DEMO_PROJECTS });
  const restored = ado.keepStateIn(file);
  await ado.start();
  return { ado, restored };
}

describe('stand-in state files', () => {
  test('Azure DevOps: repositories, commits, refs and definitions survive a restart; a deleted seed repository stays deleted', async () => {
    const file = path.join(tempDir(), 'azure-devops.json');
    const first = await startAdo(file);
    expect(first.restored).toBe(false);
    const api = (p: string, method: string, body?: unknown) =>
      fetch(`${first.ado.collectionUrl}/Payments/_apis/${p}`, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) });
    const repo = (await (await api('git/repositories?api-version=7.1', 'POST', { name: 'kept-repo' })).json()) as { id: string };
    const push = await api(`git/repositories/${repo.id}/pushes?api-version=7.1`, 'POST', {
      refUpdates: [{ name: 'refs/heads/main', oldObjectId: '0'.repeat(40) }],
      commits: [{ comment: 'first', changes: [{ changeType: 'add', item: { path: '/README.md' }, newContent: { content: 'hello', contentType: 'rawtext' } }] }],
    });
    expect(push.status).toBe(201);
    expect((await api('build/definitions?api-version=7.1', 'POST', { name: 'kept-repo-ci', repository: { id: repo.id, type: 'TfsGit' }, process: { type: 2, yamlFilename: '/azure-pipelines.yml' } })).status).toBe(200);
    const seeded = (first.ado.state.snapshot() as { repositories: { id: string; project: string }[] }).repositories.find((r) => r.project === 'Payments')!;
    expect((await api(`git/repositories/${seeded.id}?api-version=7.1`, 'DELETE')).status).toBe(204);
    const before = first.ado.state.snapshot();
    await first.ado.close();

    const second = await startAdo(file);
    try {
      expect(second.restored).toBe(true);
      expect(second.ado.state.snapshot()).toEqual(before);
      // Ids keep counting from where they were: the next definition does not reuse one.
      expect(second.ado.state.nextId('definition')).toBe(first.ado.state.nextId('definition'));
    } finally {
      await second.ado.close();
    }
  });

  test('Azure DevOps: user entitlements changed on the entitlements host survive a restart; an older file without them loads with nobody', async () => {
    const file = path.join(tempDir(), 'azure-devops.json');
    const first = await startAdo(file);
    const api = (p: string, method: string, body?: unknown, type = 'application/json') =>
      fetch(`${first.ado.entitlementsUrl}/_apis/userentitlements${p}`, { method, headers: { ...AUTH, 'content-type': type }, body: body === undefined ? undefined : JSON.stringify(body) });
    const payments = first.ado.state.project('Payments')!;
    const added = (await (await api('?api-version=7.1-preview.3', 'POST', {
      accessLevel: { accountLicenseType: 'express', licensingSource: 'account' },
      user: { principalName: 'henry@contoso.example', subjectKind: 'user' },
      projectEntitlements: [{ group: { groupType: 'projectContributor' }, projectRef: { id: payments.id } }],
    })).json()) as { isSuccess: boolean; operationResult: { userId: string } };
    expect(added.isSuccess).toBe(true);
    const patch = [{ op: 'add', path: '/projectEntitlements', value: { group: { groupType: 'projectReader' }, projectRef: { id: first.ado.state.project('Search')!.id } } }];
    expect((await api(`/${added.operationResult.userId}?api-version=7.1-preview.3`, 'PATCH', patch, 'application/json-patch+json')).status).toBe(200);
    const before = first.ado.state.snapshot() as { entitlements: unknown[] };
    expect(before.entitlements).toEqual([{ id: added.operationResult.userId, principalName: 'henry@contoso.example', accessLevel: 'express', groups: [{ project: 'Payments', group: 'projectContributor' }, { project: 'Search', group: 'projectReader' }] }]);
    await first.ado.close();

    const second = await startAdo(file);
    try {
      expect(second.restored).toBe(true);
      expect(second.ado.state.snapshot()).toEqual(before);
    } finally {
      await second.ado.close();
    }
    const older = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete older.entitlements;
    fs.writeFileSync(file, JSON.stringify(older));
    const third = await startAdo(file);
    try {
      expect((third.ado.state.snapshot() as { entitlements: unknown[] }).entitlements).toEqual([]);
    } finally {
      await third.ado.close();
    }
  });

  test('an unreadable state file stops the start with its name; it is never silently replaced by the seed', () => {
    const file = path.join(tempDir(), 'azure-devops.json');
    fs.writeFileSync(file, '{"format":"something-else"}');
    const ado = new AzureDevOpsStandIn({ org: DEMO_ORG, projects: DEMO_PROJECTS });
    expect(() => ado.keepStateIn(file)).toThrow(`azure-devops: cannot restore ${file} (Not an Azure DevOps stand-in state file (something-else)); move it away to start from the seed`);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"format":"something-else"}');
  });

  test('Key Vault secrets and Graph changes survive a restart of the identity stand-ins', async () => {
    const dataDir = tempDir();
    const stateDir = path.join(dataDir, 'standins');
    const start = () => startIdentityStandIns({ dataDir, stateDir, tenantId: DEMO_TENANT_ID, clients: [CLIENT] });
    const clientOf = (ids: IdentityStandIns) => new SecretClient(ids.keyVault.baseUrl, new ClientSecretCredential(DEMO_TENANT_ID, CLIENT.clientId, CLIENT.clientSecret, ids.credentialOptions), ids.secretClientOptions);
    const user = DEMO_USERS[0]!;

    const first = await start();
    let kvBefore: unknown;
    let graphBefore: unknown;
    try {
      await clientOf(first).setSecret('payments-api--prod--db', 'v1');
      await clientOf(first).setSecret('payments-api--prod--db', 'v2');
      const token = await new ClientSecretCredential(DEMO_TENANT_ID, CLIENT.clientId, CLIENT.clientSecret, first.credentialOptions).getToken('https://graph.microsoft.com/.default');
      expect(await httpsStatus(first, `${first.graph.baseUrl}/v1.0/users/${user.id}`, 'PATCH', token!.token, { jobTitle: 'Principal engineer' })).toBe(204);
      kvBefore = (await stateOf(first, first.keyVault.baseUrl)).json;
      graphBefore = (await stateOf(first, first.graph.baseUrl)).json;
    } finally {
      await first.close();
    }
    expect(fs.statSync(path.join(stateDir, 'key-vault.json')).mode & 0o077).toBe(0); // holds secret values

    const second = await start();
    try {
      expect(second.tls.caCertPem).toBe(first.tls.caCertPem); // the CA under DATA_DIR is reused
      expect((await clientOf(second).getSecret('payments-api--prod--db')).value).toBe('v2');
      expect((await stateOf(second, second.keyVault.baseUrl)).json).toEqual(kvBefore);
      const graphAfter = (await stateOf(second, second.graph.baseUrl)).json;
      expect(graphAfter).toEqual(graphBefore);
      expect(second.graph.users.get(user.id)!.jobTitle).toBe('Principal engineer');
    } finally {
      await second.close();
    }
  });

  test('Bot Connector conversations survive a restart', async () => {
    const file = path.join(tempDir(), 'bot-connector.json');
    const first = new BotConnectorStandIn();
    first.keepStateIn(file);
    await first.start();
    const posted = await fetch(`${first.baseUrl}/v3/conversations/a%3Akept/activities`, { method: 'POST', headers: AUTH, body: JSON.stringify({ type: 'message', text: 'hello' }) });
    const { id } = (await posted.json()) as { id: string };
    await fetch(`${first.baseUrl}/v3/conversations/a%3Akept/activities/${id}`, { method: 'PUT', headers: AUTH, body: JSON.stringify({ type: 'message', text: 'edited' }) });
    const before = first.activities('a:kept');
    await first.close();

    const second = new BotConnectorStandIn();
    expect(second.keepStateIn(file)).toBe(true);
    expect(second.activities('a:kept')).toEqual(before);
    expect(before.map((a) => a.text)).toEqual(['edited']);
  });
});

function httpsStatus(ids: IdentityStandIns, url: string, method: string, token: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, ca: ids.tls.caCertPem, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function stateOf(ids: IdentityStandIns, baseUrl: string): Promise<{ json: unknown }> {
  return new Promise((resolve, reject) => {
    https
      .get(`${baseUrl}/_standin/state`, { ca: ids.tls.caCertPem }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ json: JSON.parse(text) }));
      })
      .on('error', reject);
  });
}

describe('Azure DevOps stand-in state file: variable groups', () => {
  const canary = 'persisted-secret-canary-91c2';

  test('a secret variable is written to the file as a digest only, restored as such; a file of an older stand-in holding a value in clear is digested on restore', async () => {
    const file = path.join(tempDir(), 'azure-devops.json');
    const first = await startAdo(file);
    const body = { name: 'vg-kept-dev', type: 'Vsts', variables: { TOKEN: { isSecret: true, value: canary }, PLAIN: { value: 'p' } }, variableGroupProjectReferences: [{ name: 'vg-kept-dev', projectReference: { name: 'Payments' } }] };
    expect((await fetch(`${first.ado.collectionUrl}/_apis/distributedtask/variablegroups?api-version=7.2-preview.2`, { method: 'POST', headers: AUTH, body: JSON.stringify(body) })).status).toBe(200);
    await first.ado.close();
    const saved = fs.readFileSync(file, 'utf8');
    expect(saved).not.toContain(canary);
    const second = await startAdo(file);
    const digest = second.ado.state.variableGroups.find((g) => g.name === 'vg-kept-dev')!.variables.TOKEN!.valueSha256;
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(second.ado.state.serviceEndpoints.map((e) => e.name)).toEqual(['azure-key-vault']);
    await second.ado.close();

    const old = JSON.parse(saved) as { variableGroups: { variables: Record<string, Record<string, unknown>> }[]; serviceEndpoints?: unknown };
    old.variableGroups[0]!.variables.TOKEN = { isSecret: true, value: canary };
    delete old.serviceEndpoints;
    fs.writeFileSync(file, JSON.stringify(old));
    const third = await startAdo(file);
    try {
      expect(third.ado.state.variableGroups[0]!.variables.TOKEN).toEqual({ isSecret: true, valueSha256: digest });
      expect(third.ado.state.serviceEndpoints.map((e) => e.name)).toEqual(['azure-key-vault']);
      expect(fs.readFileSync(file, 'utf8')).not.toContain(canary);
    } finally {
      await third.ado.close();
    }
  });
});
