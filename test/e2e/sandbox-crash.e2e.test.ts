/**
 * `npm start` survives a crash: a repository job in flight when the whole process group (bot and
 * store) is killed with SIGKILL resumes after a new start on the same DATA_DIR and completes,
 * without duplicating what the first run made. The stand-ins hold, after the restart, exactly
 * what they held before it; the job's own store may have lost its last seconds (it is saved
 * every few seconds), so the resumed steps find and adopt what already exists.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_PREVIEW_VERBS } from '../../cards/repo-preview.card';
import { userBySlug } from '../../src/sandbox/seed/demo-org';
import { cardText, personalChat } from '../helpers/bot-harness';
import { ChildBot, buildDist } from '../helpers/child-bot';
import { cardOf, requestIdOf } from '../helpers/repo-chat';

interface AdoState {
  repositories: { id: string; name: string; files: Record<string, Record<string, string>>; pushes: unknown[] }[];
  policies: { typeId: string; settings: { scope?: { repositoryId?: string }[] } }[];
  definitions: { name: string; repositoryId: string }[];
  environments: { name: string }[];
  checks: unknown[];
  variableGroups: { name: string }[];
}

const NAME = 'crash-ledger';
const conversationId = personalChat(userBySlug('alice')).id;
const policiesOf = (s: AdoState, repoId: string) => s.policies.filter((p) => p.settings.scope?.some((x) => x.repositoryId === repoId));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('sandbox crash (kill -9) and restart on the same DATA_DIR', () => {
  beforeAll(() => buildDist());

  test('a create-repo job killed mid-way resumes and completes; nothing is duplicated or lost', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-crash-'));
    const first = await ChildBot.start(dataDir);
    let second: ChildBot | undefined;
    try {
      // The first of the four branch-policy creates hangs: the other three land, then the crash.
      const ado = new URL(first.standIns.azureDevOps!).origin;
      await fetch(`${ado}/_standin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ method: 'POST', path: '/_apis/policy/configurations', kind: 'latency', latencyMs: 600_000, times: 1 }),
      });
      const bot = first.harness();
      await bot.say(`create repo name=${NAME} project=Payments stack=node owner=team-payments description="Survives a crash" envs=dev,staging,prod`, { as: 'alice', deliveryMode: 'normal' });
      const preview = await until('the preview', async () => (await first.activities(conversationId)).find((a) => cardText(cardOf(a)).includes('repo.create.confirm')), 15_000);
      const confirmed = await bot.execute(REPO_PREVIEW_VERBS.confirm, { requestId: requestIdOf(cardOf(preview)) }, { as: 'alice', conversation: personalChat(userBySlug('alice')), extra: { replyToId: preview.id } });
      expect(confirmed.status).toBe(200);

      const repoId = await until('three policies', async () => {
        const s = await first.adoState<AdoState>();
        const repo = s.repositories.find((r) => r.name === NAME);
        return repo && policiesOf(s, repo.id).length === 3 && s.variableGroups.some((g) => g.name.includes(NAME)) ? repo.id : undefined;
      }, 30_000);
      // Longer than the store's save interval (5 s), so the job itself is on disk.
      await sleep(6000);
      const before = await first.adoState<AdoState>();
      const activitiesBefore = await first.activities(conversationId);
      await first.kill9();

      second = await ChildBot.start(dataDir);
      expect(second.standIns).toEqual(first.standIns); // same ports: stored URLs and serviceUrls still work
      const restored = await second.adoState<AdoState>();
      // What the first run made is all there; the resumed job may already be adding the last policy.
      expect({ ...restored, policies: restored.policies.slice(0, before.policies.length) }).toEqual(before);
      expect((await second.activities(conversationId)).slice(0, activitiesBefore.length).map((a) => a.id)).toEqual(activitiesBefore.map((a) => a.id));

      // The job resumes once the dead runner's lease expires (30 s) and updates the same card.
      const final = await until('the final card', async () => {
        const card = (await second!.activities(conversationId)).find((a) => a.id === preview.id);
        return /Created Payments\/crash-ledger/.test(cardText(cardOf(card))) ? card : undefined;
      }, 90_000);
      expect(cardText(cardOf(final))).toContain('Open the pipeline');

      const after = await second.adoState<AdoState>();
      const repos = after.repositories.filter((r) => r.name === NAME);
      expect(repos).toHaveLength(1);
      expect(repos[0]!.id).toBe(repoId);
      expect(repos[0]!.pushes).toHaveLength(1);
      expect(Object.keys(repos[0]!.files.main!)).toEqual(expect.arrayContaining(['/README.md', '/catalog-info.yaml', '/azure-pipelines.yml', '/CODEOWNERS']));
      const policies = policiesOf(after, repoId);
      expect(policies).toHaveLength(4);
      expect(new Set(policies.map((p) => p.typeId)).size).toBe(4);
      expect(after.definitions.filter((d) => d.repositoryId === repoId)).toHaveLength(1);
      for (const env of ['crash-ledger-dev', 'crash-ledger-staging', 'crash-ledger-prod']) expect(after.environments.filter((e) => e.name === env)).toHaveLength(1);
      expect(after.variableGroups.length).toBe(before.variableGroups.length);
      expect(after.checks.length).toBe(before.checks.length);
    } finally {
      await first.kill9();
      await second?.stop();
    }
  }, 180_000);
});
