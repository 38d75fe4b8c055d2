/**
 * `catalog health` through /api/messages on the sandbox: a first run at start, after the import;
 * after a second run (the scheduled job's work, started by hand) the overview and one team's card,
 * computed from the Graph and Azure DevOps stand-ins; an unknown team gets a did-you-mean.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestBot, cardText, replyCard, replyText } from '../helpers/bot-harness';
import { waitFor } from '../helpers/manual-time';

/** The Graph stand-in's Payments team (enabled members). */
const PAYMENTS_GROUP_ID = '10000000-0000-4000-b000-000000000001';

function writeCatalog(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'health-e2e-'));
  writeFileSync(
    path.join(dir, 'catalog.yaml'),
    `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-ledger
  annotations:
    graph.microsoft.com/group-id: ${PAYMENTS_GROUP_ID}
spec:
  type: team
  profile: { displayName: Ledger Team, email: ledger@contoso.example }
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-ghosts
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger-api
  annotations:
    idp.dev/tier: tier-1
spec:
  type: service
  lifecycle: production
  owner: team-ledger
  dependsOn: [resource:ledger-db]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ghost-worker
spec:
  type: service
  lifecycle: experimental
  owner: team-ghosts
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: guest-tool
spec:
  type: tool
  lifecycle: experimental
  owner: guest
`,
  );
  return dir;
}

describe('catalog health (e2e)', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await TestBot.start({ CATALOG_LOCATIONS: writeCatalog(), HEALTH_RUN_EVERY_HOURS: '24' });
  });
  afterAll(() => bot.stop());

  test('a catalog never checked gets its first run at start, after the import (one run, the current slot\'s)', async () => {
    const runs = () => bot.running.connection.collection('health_runs').find({}).toArray();
    await waitFor(async () => (await runs()).length === 1, 'the first health run');
    const [first] = await runs();
    expect(first!.id).toMatch(/^health-\d+$/);
    expect(first!.entityCount).toBeGreaterThan(0); // the import had finished: the catalog's entities were checked
    expect(cardText(replyCard((await bot.say('catalog health'))[0]!))).toContain('Failing checks, last 1 run');
  });

  describe('after a run', () => {
    beforeAll(async () => {
      await waitFor(async () => (await bot.running.connection.collection('health_runs').countDocuments()) === 1, 'the first health run');
      await bot.running.health.runNow('e2e-run');
    });

    test('catalog health: coverage, top rules, worst teams and the trend', async () => {
      const card = replyCard((await bot.say('catalog health'))[0]!);
      const text = cardText(card);
      expect(card.body[0].text).toBe('Catalog health');
      const facts = Object.fromEntries(card.body[2].facts.map((f: { title: string; value: string }) => [f.title, f.value]));
      // The four seeded repositories each hold a catalog-info.yaml the import read.
      expect(facts['Repositories with a valid catalog-info.yaml']).toBe('100 %');
      expect(facts['Entities with a live owner']).toMatch(/^\d+(\.\d)? %$/);
      expect(text).toContain('Owner not in the catalog'); // guest-tool and the seeded repositories' team-payments
      expect(text).toContain('Descriptor not changed for a long time'); // seeded repositories, committed 2024-01-01
      expect(text).toContain('Ledger Team');
      expect(text).toContain('Failing checks, last 2 runs');
      // team-ghosts has no members in the catalog and no Entra group: its card says so.
      expect(cardText(replyCard((await bot.say('catalog health team-ghosts'))[0]!))).toContain('Owner group has nobody active: 1 (error)');
    });

    test('catalog health <team>: its failing checks by rule, worst first, with the trend', async () => {
      const card = replyCard((await bot.say('catalog health Ledger Team'))[0]!);
      expect(card.body[0].text).toBe('Catalog health: Ledger Team');
      const headings = card.body.filter((b: { type: string }) => b.type === 'Container').map((c: { items: { text: string }[] }) => c.items[0]!.text);
      expect(headings).toEqual([
        'Production service without on-call: 1 (error)',
        'Depends on an entity not in the catalog: 1 (warning)',
        'Production service without a dashboard: 1 (warning)',
        'Production service without a runbook: 1 (warning)',
        'No recent deployment while in production: 1 (info)',
        expect.stringMatching(/^Failing checks, last 2 runs: /),
      ]);
      expect(cardText(card)).toContain('component:default/ledger-api');
    });

    test('an unknown team: did you mean, and nothing else happens', async () => {
      const [reply] = await bot.say('catalog health team-ledgr');
      expect(replyText(reply!)).toBe('The last catalog health run has no team called `team-ledgr`. Did you mean **Ledger Team** (`group:default/team-ledger`)? Type **catalog health** followed by the team\'s name.');
    });

    test('the run is stored and audited', async () => {
      const runs = await bot.running.connection.collection('health_runs').find({}).toArray();
      expect(runs.map((r) => r.id).sort()).toEqual(['e2e-run', expect.stringMatching(/^health-\d+$/)]);
      expect(await bot.running.connection.collection('audit').countDocuments({ action: 'catalog.health.run', target: 'health-run:e2e-run' })).toBe(1);
    });
  });
});
