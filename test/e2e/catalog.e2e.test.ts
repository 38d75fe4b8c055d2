import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestBot, cardText, channelChat, replyCard } from '../helpers/bot-harness';

/** A small catalog written as Backstage descriptor files, imported from CATALOG_LOCATIONS. */
function writeCatalog(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'catalog-e2e-'));
  writeFileSync(
    path.join(dir, 'teams.yaml'),
    `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-ledger
  annotations:
    idp.dev/teams-channel-url: https://teams.microsoft.com/l/channel/19%3Aledger/General
spec:
  type: team
  profile: { displayName: Ledger Team, email: ledger@contoso.example }
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-risk
spec:
  type: team
  profile: { displayName: Risk, email: risk@contoso.example }
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: alice
spec:
  profile: { displayName: Alice Developer, email: alice@contoso.example }
  memberOf: [team-ledger]
`,
  );
  writeFileSync(
    path.join(dir, 'services.yaml'),
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger-api
  title: Ledger API
  description: Double-entry ledger of every card payment.
  tags: [money]
  annotations:
    dev.azure.com/project-repo: Payments/ledger-api
    dev.azure.com/build-definition: ledger-api-ci
    idp.dev/aliases: general-ledger
    idp.dev/tier: tier-1
    idp.dev/oncall-rotation: ledger-primary
    idp.dev/oncall-current: Alice Developer <alice@contoso.example>
    idp.dev/oncall-escalation: Bob Manager <bob@contoso.example>
  links:
    - { url: https://grafana.contoso.example/d/ledger, title: Ledger dashboard, type: dashboard }
    - { url: https://logs.contoso.example/ledger, title: Ledger logs }
    - { url: https://runbooks.contoso.example/ledger-api, title: Runbook }
spec:
  type: service
  lifecycle: production
  owner: team-ledger
  dependsOn: [component:fraud-scorer, resource:ledger-db]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: fraud-scorer
  description: Scores every payment for fraud.
spec:
  type: service
  lifecycle: production
  owner: team-risk
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger-worker
spec:
  type: service
  lifecycle: production
  owner: team-ledger
  dependsOn: [component:ledger-api]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: legacy-exporter
spec:
  type: service
  lifecycle: deprecated
  owner: toast-infra
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: ledger-db
spec:
  type: database
  owner: team-ledger
`,
  );
  // An invalid file next to valid ones: rejected with its reason, nothing else lost.
  writeFileSync(path.join(dir, 'broken.yaml'), `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Not A Valid Name!\nspec:\n  type: service\n  owner: team-ledger\n  lifecycle: production\n`);
  return dir;
}

describe('"who owns X?" from a catalog imported from CATALOG_LOCATIONS', () => {
  let bot: TestBot;
  const token = 'e2e-webhook-token';
  beforeAll(async () => {
    // Ready means imported and indexed.
    bot = await TestBot.start({ CATALOG_LOCATIONS: writeCatalog(), CATALOG_WEBHOOK_TOKEN: token, CATALOG_IMPORT_AZURE_DEVOPS: 'false' });
  });
  afterAll(() => bot.stop());

  const ask = async (text: string, options = {}) => replyCard((await bot.say(text, options))[0]);

  test.each([
    'who owns ledger-api?',
    'owner of ledger-api?',
    'ledger-api owner',
    'who owns Ledger API',
    'who owns ledgr-api',
    'who owns api ledger',
    'who owns LEDGER_API',
    'who owns general-ledger',
    'who owns https://dev.azure.com/contoso/Payments/_git/ledger-api',
    'who owns ledger-api-ci',
    'who owns ledger-api--prod--db-password',
    'who owns https://grafana.contoso.example/d/ledger',
  ])('%s -> the ledger team, on call, links', async (question) => {
    const text = cardText(await ask(question));
    expect(text).toContain('Ledger API');
    expect(text).toContain('[Ledger Team](https://teams.microsoft.com/l/channel/19%3Aledger/General)');
    expect(text).toContain('Alice Developer (alice@contoso.example)');
    expect(text).toContain('https://grafana.contoso.example/d/ledger');
    expect(text).toContain('https://runbooks.contoso.example/ledger-api');
    expect(text).toContain('https://teams.microsoft.com/l/chat/0/0?users=');
  });

  test('in a channel with an @mention', async () => {
    expect(cardText(await ask('who owns ledger-api', { as: 'dave', conversation: channelChat() }))).toContain('Ledger API');
  });

  test('the answer lists dependencies and dependents with their owners', async () => {
    const text = cardText(await ask('who owns ledger-api'));
    expect(text).toContain('**fraud-scorer** (Risk)');
    expect(text).toContain('**ledger-worker** (Ledger Team)');
    const deps = cardText(await ask('what does ledger-api depend on'));
    expect(deps).toContain('ledger-api depends on 2 entities');
    const users = cardText(await ask('who depends on ledger-api'));
    expect(users).toContain('**ledger-worker**');
  });

  test('an ambiguous question gets "did you mean" buttons, never an owner stated as fact', async () => {
    const card = await ask('who owns ledger');
    const text = cardText(card);
    expect(text).toMatch(/Which one did you mean/);
    expect(card.actions.length).toBeGreaterThan(1);
    expect(card.actions.length).toBeLessThanOrEqual(5);
    expect(card.actions.every((a: { verb: string }) => a.verb === 'catalog.pick')).toBe(true);
    // Clicking one answers in place.
    const pick = card.actions.find((a: { data: { ref: string } }) => a.data.ref === 'component:default/ledger-worker');
    const res = await bot.execute('catalog.pick', pick.data);
    expect(res.status).toBe(200);
    expect(cardText(res.body.value)).toContain('ledger-worker');
  });

  test('nothing close: says so and offers search', async () => {
    const text = cardText(await ask('who owns zebra-quantum-teleporter'));
    expect(text).toContain('I could not find');
    expect(text).toContain('search');
  });

  test('an owner that is not in the catalog is shown as written, never as "nobody"', async () => {
    const card = await ask('who owns legacy-exporter');
    const owner = card.body.find((b: { type: string }) => b.type === 'FactSet').facts.find((f: { title: string }) => f.title === 'Owner');
    expect(owner.value).toBe('toast-infra (Group, not in the catalog)');
    const owned = cardText(await ask('what does toast-infra own?'));
    expect(owned).toContain('toast-infra owns 1 entity');
    expect(owned).toContain('**legacy-exporter** (Component)');
  });

  test('"who is in team-ledger": the team card with its members and what it owns; the button lists it all', async () => {
    const card = await ask('<at>IDP</at> who is in team-ledger?', { conversation: channelChat() });
    const text = cardText(card);
    expect(text).toContain('Ledger Team');
    expect(text).toContain('Members (1)');
    expect(text).toContain('Alice Developer (alice) (alice@contoso.example)');
    expect(text).toContain('Owns (3)');
    expect(text).toContain('2 Components · 1 Resource');
    const owns = cardText(await ask("what is owned by Ledger Team"));
    expect(owns).toContain('team-ledger owns 3 entities');
    const user = cardText(await ask('who owns Alice Developer'));
    expect(user).toContain('Member of (1)');
  });

  test('a did-you-mean with one candidate asks about it', async () => {
    const text = cardText(await ask('who owns fraud'));
    expect(text).toContain('Did you mean fraud-scorer');
    expect(text).not.toContain('matches several entries');
  });

  test('search lists matches as buttons', async () => {
    const card = await ask('search ledger');
    expect(card.actions.map((a: { title: string }) => a.title).join(' ')).toContain('ledger-api');
  });

  test('an invalid descriptor is rejected with its file and reason; the rest is imported', async () => {
    const rejected = bot.logs.find((l) => l.msg === 'catalog entity rejected' && String(l.location).endsWith('broken.yaml'));
    expect(rejected).toBeTruthy();
    expect(String(rejected!.reason)).toMatch(/name/i);
  });

  test('message extension: search previews (<= 25), choosing one inserts the ownership card', async () => {
    const query = await bot.post(
      bot.activity('invoke', { deliveryMode: 'normal' }, { name: 'composeExtension/query', value: { commandId: 'searchServices', parameters: [{ name: 'query', value: 'ledger' }], queryOptions: { skip: 0, count: 25 } } }),
    );
    expect(query.status).toBe(200);
    const attachments = query.body.composeExtension.attachments;
    expect(attachments.length).toBeGreaterThan(0);
    expect(attachments.length).toBeLessThanOrEqual(25);
    expect(attachments[0].preview.content.title).toBeTruthy();
    const tap = attachments.find((a: { content: { tap: { value: { ref: string } } } }) => a.content.tap.value.ref === 'component:default/ledger-api').content.tap;
    const select = await bot.post(bot.activity('invoke', { deliveryMode: 'normal' }, { name: 'composeExtension/selectItem', value: tap.value }));
    expect(select.status).toBe(200);
    expect(cardText(select.body.composeExtension.attachments[0].content)).toContain('Ledger API');
  });

  test('link unfurling: a dashboard URL of a known service shows its card; an unknown URL shows nothing', async () => {
    const known = await bot.post(bot.activity('invoke', { deliveryMode: 'normal' }, { name: 'composeExtension/queryLink', value: { url: 'https://grafana.contoso.example/d/ledger?from=now-6h' } }));
    expect(known.status).toBe(200);
    expect(cardText(known.body.composeExtension.attachments[0].content)).toContain('Ledger API');
    const unknown = await bot.post(bot.activity('invoke', { deliveryMode: 'normal' }, { name: 'composeExtension/queryLink', value: { url: 'https://example.org/nothing' } }));
    expect(unknown.body.composeExtension.attachments).toEqual([]);
  });

  describe('deployment webhook', () => {
    const post = (body: unknown, auth?: string) =>
      fetch(`${bot.url}/api/catalog/deployments`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body) });

    test('refuses a missing or wrong token', async () => {
      expect((await post({ service: 'ledger-api' })).status).toBe(401);
      expect((await post({ service: 'ledger-api' }, 'Bearer nope')).status).toBe(401);
    });

    test('rejects invalid input with every reason, and unknown services with 404', async () => {
      const bad = await post({ service: 'ledger-api', environment: 'Prod Env!', status: 'great' }, `Bearer ${token}`);
      expect(bad.status).toBe(400);
      const body = await bad.json();
      expect(JSON.stringify(body)).toMatch(/environment/);
      expect(JSON.stringify(body)).toMatch(/status/);
      expect((await post({ service: 'nope-service', environment: 'prod', version: '1', status: 'succeeded' }, `Bearer ${token}`)).status).toBe(404);
    });

    test('records a deployment that the card then shows at once (the replica that recorded it refreshes its index)', async () => {
      const res = await post({ service: 'ledger-api', environment: 'prod', version: '2.7.1', status: 'failed', pipelineRunUrl: 'https://dev.azure.com/contoso/Payments/_build/results?buildId=7' }, `Bearer ${token}`);
      expect(res.status).toBe(201);
      const text = cardText(await ask('who owns ledger-api'));
      expect(text).toContain('2.7.1 · FAILED');
      const audit = await bot.running.connection.db!.collection('audit').findOne({ action: { $regex: /deployment/ } });
      expect(audit).toBeTruthy();
    });
  });
});

describe('catalog from Azure DevOps repositories (sandbox)', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await TestBot.start();
  });
  afterAll(() => bot.stop());

  test('a catalog-info.yaml pushed to a repository is imported on the next refresh', async () => {
    const ado = bot.running.sandbox!.azureDevOps;
    const { AzureDevOpsRepositoryProvisioning } = await import('../../src/adapters/azure-devops/azure-devops-provisioning.adapter');
    const provisioning = new AzureDevOpsRepositoryProvisioning({ orgUrl: ado.collectionUrl, token: 'pat' });
    const { repository } = await provisioning.ensureRepository('Search', 'query-suggester');
    await provisioning.ensureInitialCommit('Search', repository.id, 'main', [
      {
        path: '/catalog-info.yaml',
        content: 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: query-suggester\n  description: Suggests queries as you type.\nspec:\n  type: service\n  lifecycle: experimental\n  owner: team-search\n',
      },
    ], 'catalog');
    await bot.running.catalog.importAll();
    const text = cardText(replyCard((await bot.say('who owns query-suggester'))[0]));
    expect(text).toContain('Suggests queries as you type.');
    expect(text).toMatch(/Search/);
  });
});
