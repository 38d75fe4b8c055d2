/** The welcome card for each viewer, and its buttons: Refresh, Save progress (the joiner only) and Open as a pull request. */
import { CHECKLIST_INPUT_PREFIX, ONBOARDING_WELCOME_VERBS, REPOSITORY_INPUT } from '../../cards/onboarding-welcome.card';
import { ticksFrom, welcomeCardActions } from '../../dialogs/onboarding/welcome.card-actions';
import { progressText, welcomeViewerOf } from '../../dialogs/onboarding/welcome.views';
import type { TurnActor } from '../../src/bot/identity';
import { InMemoryCatalogSearch } from '../../src/adapters/catalog-index/in-memory-catalog-search';
import { DomainError } from '../../src/domain/domain-error';
import { ChecklistService } from '../../src/domain/onboarding/checklist.service';
import { devcontainerBranch, DevcontainerPrService, DEVCONTAINER_PATH } from '../../src/domain/onboarding/devcontainer-pr.service';
import { devcontainerText } from '../../src/domain/onboarding/dev-environment';
import { DEFAULT_ONBOARDING_SETTINGS } from '../../src/domain/onboarding/onboarding-settings';
import { welcomePackFor } from '../../src/domain/onboarding/welcome-pack';
import { DEMO_PROJECTS } from '../../src/sandbox/seed/demo-org';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { InMemoryCatalogStore } from '../fakes/in-memory-catalog-store';
import { InMemoryConversationDirectory } from '../fakes/in-memory-conversation-directory';
import { InMemoryOnboardingStore } from '../fakes/in-memory-onboarding-store';
import { InMemoryAzureDevOps } from '../fakes/in-memory-repository-provisioning';
import { BUDDY, DOWNLOAD_URL, JOINER, MANAGER, OTHER, onboardingRecord, WELCOME_LINK_HOSTS, welcomeCardFor, welcomePack } from '../fixtures/onboarding-welcome-fixtures';
import { seedCatalog } from '../helpers/repo-fakes';

/* eslint-disable @typescript-eslint/no-explicit-any */
const walk = (node: any, found: any[] = []): any[] => {
  if (Array.isArray(node)) node.forEach((n) => walk(n, found));
  else if (node && typeof node === 'object') {
    found.push(node);
    Object.values(node).forEach((v) => walk(v, found));
  }
  return found;
};
const ofType = (card: any, type: string) => walk(card.body).filter((n) => n.type === type);
const actionsOf = (card: any) => (card.actions ?? []).map((a: any) => a.verb ?? a.title);
const text = (card: any) => JSON.stringify(card.body);

describe('the welcome card, per viewer', () => {
  const record = onboardingRecord();

  it('knows who is looking (the joiner first; ids in any case)', () => {
    expect([JOINER.id.toUpperCase(), MANAGER.id, BUDDY.id, OTHER.id].map((id) => welcomeViewerOf(record, id))).toEqual(['joiner', 'manager', 'buddy', 'other']);
    expect(welcomeViewerOf({ ...record, buddy: { ...BUDDY, id: JOINER.id } }, JOINER.id)).toBe('joiner');
    expect(progressText(record)).toBe('3 of 9 done');
  });

  it('the joiner gets toggles holding the stored ticks, Save progress, Download and the pull request picker', () => {
    const card = welcomeCardFor(record, JOINER.id) as any;
    const toggles = ofType(card, 'Input.Toggle');
    expect(toggles.map((t) => [t.id, t.value])).toEqual(record.checklist.map((i) => [`${CHECKLIST_INPUT_PREFIX}${i.id}`, i.doneAt ? 'true' : 'false']));
    expect(actionsOf(card)).toEqual([ONBOARDING_WELCOME_VERBS.checklist, 'Download devcontainer.json', ONBOARDING_WELCOME_VERBS.devcontainerPr]);
    expect(card.actions[1].url).toBe(DOWNLOAD_URL);
    expect(card.actions[0].data).toEqual({ onboardingId: record.id });
    const picker = ofType(card, 'Input.ChoiceSet')[0];
    expect([picker.id, picker.value, picker.choices.map((c: any) => c.value)]).toEqual([REPOSITORY_INPUT, 'Payments/payments-api', ['Payments/payments-api', 'Payments/payments-web']]);
    expect(text(card)).toContain('Welcome to Payments, Frank Newjoiner!');
    expect(text(card)).toContain('You start on 2031-03-09');
    expect(ofType(card, 'TableRow').map((r) => r.cells[0].items[0].text)).toEqual(['Tool', 'JDK', 'Maven', 'Azure CLI']);
    expect(card.refresh).toEqual({ action: { type: 'Action.Execute', title: 'Refresh', verb: ONBOARDING_WELCOME_VERBS.refresh, data: { onboardingId: record.id } }, userIds: ['29:demo-frank', '29:demo-bob', '29:demo-alice'] });
  });

  it.each([
    ['manager', MANAGER.id, "You are Frank Newjoiner's manager"],
    ['buddy', BUDDY.id, "You are Frank Newjoiner's buddy"],
    ['someone else', OTHER.id, 'Only Frank Newjoiner ticks this checklist'],
  ])('the %s sees progress read-only, with no button but the refresh', (_who, viewerId, note) => {
    const card = welcomeCardFor(record, viewerId) as any;
    expect(ofType(card, 'Input.Toggle')).toEqual([]);
    expect(ofType(card, 'Input.ChoiceSet')).toEqual([]);
    expect(card.actions ?? []).toEqual([]);
    expect(text(card)).toContain('Checklist: 3 of 9 done');
    expect(text(card)).toContain('✅ Clone payments-api');
    expect(text(card)).toContain('⬜ Clone payments-web');
    expect(text(card)).toContain(note);
    expect(card.refresh.action.verb).toBe(ONBOARDING_WELCOME_VERBS.refresh);
  });

  it('a closed onboarding is read-only for the joiner too', () => {
    const card = welcomeCardFor(onboardingRecord({ state: 'offboarded', offboardedAt: new Date('2031-09-01T00:00:00Z') }), JOINER.id) as any;
    expect(card.actions ?? []).toEqual([]);
    expect(ofType(card, 'Input.Toggle')).toEqual([]);
    expect(text(card)).toContain('This onboarding is closed');
  });

  it('no repositories: no picker and no pull request button; no download link: no Download', () => {
    const card = welcomeCardFor(onboardingRecord(), JOINER.id, welcomePack({ repositories: [] })) as any;
    expect(actionsOf(card)).toEqual([ONBOARDING_WELCOME_VERBS.checklist, 'Download devcontainer.json']);
    expect(text(card)).toContain('the catalog lists none for the team yet');
  });

  it('a team with many repositories: 15 lines and a count, at most 50 choices', () => {
    const many = Array.from({ length: 80 }, (_, i) => ({ project: 'P', name: `r-${String(i).padStart(2, '0')}`, cloneUrl: 'https://dev.azure.com/c/P/_git/r', webUrl: 'https://dev.azure.com/c/P/_git/r', entities: [] }));
    const card = welcomeCardFor(onboardingRecord(), JOINER.id, welcomePack({ repositories: many })) as any;
    const lines = ofType(card, 'TextBlock').filter((t) => /r-\d\d|more \(the devcontainer/.test(t.text));
    expect(lines).toHaveLength(16);
    expect(lines.at(-1).text).toBe('and 65 more (the devcontainer.json clones them all)');
    expect(ofType(card, 'Input.ChoiceSet')[0].choices).toHaveLength(50);
  });

  it('escapes what comes from the catalog and links only to allowed hosts', () => {
    const pack = welcomePack({ docs: [{ title: '1. __bold__ <b>x</b>', url: 'https://evil.example/x', source: 'team' }, { title: 'Dash', url: 'https://grafana.contoso.example/d/1', source: 'service', of: 'svc_a' }] });
    const card = welcomeCardFor(onboardingRecord({ joiner: { ...JOINER, name: '__Frank__' } }), JOINER.id, pack) as any;
    const body = text(card);
    expect(body).not.toContain('evil.example/x)');
    expect(body).toContain('1\\\\. \\\\_\\\\_bold\\\\_\\\\_ \\\\<b\\\\>x\\\\</b\\\\>');
    expect(body).toContain('[Dash](https://grafana.contoso.example/d/1) (svc\\\\_a)');
    expect(body).toContain('Welcome to Payments, \\\\_\\\\_Frank\\\\_\\\\_!');
    expect(WELCOME_LINK_HOSTS).not.toContain('evil.example');
  });
});

describe('ticksFrom', () => {
  it('reads the toggles out of the button data, ignoring other inputs and odd values', () => {
    expect(ticksFrom({ onboardingId: 'x', 'check.a': 'true', 'check.b': 'false', 'check.c': 'yes', repository: 'P/r', 'check.d': true })).toEqual({ a: true, b: false, d: true });
  });
});

async function world() {
  const catalog = new InMemoryCatalogStore();
  await seedCatalog(catalog);
  const index = new InMemoryCatalogSearch(catalog);
  await index.build();
  const pack = welcomePackFor({ catalog, index, settings: DEFAULT_ONBOARDING_SETTINGS });
  const now = new Date('2031-03-10T12:00:00Z');
  const store = new InMemoryOnboardingStore(() => now);
  const audit = new InMemoryAuditLog();
  const ado = new InMemoryAzureDevOps(DEMO_PROJECTS);
  const conversations = new InMemoryConversationDirectory();
  for (const [aad, userId] of [[JOINER.id, '29:demo-frank'], [MANAGER.id, '29:demo-bob']]) {
    await conversations.save({ key: userId!, conversationId: `a:${userId}`, conversationType: 'personal', userId: userId!, aadObjectId: aad!, serviceUrl: 'http://127.0.0.1:1', reference: { user: { id: userId }, conversation: { id: `a:${userId}` } } } as any);
  }
  const { checklist: _stored, ...fresh } = onboardingRecord();
  const { record } = await store.create({ ...fresh, checklist: (await pack(fresh)).content.checklist });
  await store.markActive(record.id, now);
  const checklist = new ChecklistService({ store, audit, clock: () => now });
  const devcontainerPr = new DevcontainerPrService({ store, pack, sourceControl: ado, provisioning: ado, audit });
  const actions = new Map(welcomeCardActions({ store, pack, checklist, devcontainerPr, conversations, downloadUrl: (r) => `https://bot.example/dl/${r.id}?token=${r.downloadToken}`, linkHosts: WELCOME_LINK_HOSTS }).map((a) => [a.verb, a]));
  const actor = (p: { id: string; name: string }): TurnActor => ({ id: p.id, name: p.name, channelId: `29:clicker-${p.name.split(' ')[0]!.toLowerCase()}`, verified: true });
  const click = async (verb: string, p: { id: string; name: string }, data: Record<string, unknown> = {}) => {
    const action = actions.get(verb)!;
    const parsed = action.data.parse({ onboardingId: record.id, ...data });
    return action.run({ turn: { activity: { id: `act-${verb}` } } as any, actor: actor(p), data: parsed }) as Promise<any>;
  };
  const refused = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof DomainError ? e.code : String(e)));
  return { store, audit, ado, pack, record, click, refused, now };
}

describe('Save progress', () => {
  it('the joiner\'s ticks are stored, audited once, and answered with their updated card', async () => {
    const w = await world();
    const [first, second, third] = w.record.checklist;
    const result = await w.click(ONBOARDING_WELCOME_VERBS.checklist, JOINER, { [`check.${first!.id}`]: 'true', [`check.${second!.id}`]: 'true', [`check.${third!.id}`]: 'false', 'check.unknown': 'true', repository: 'Payments/payments-api' });
    const stored = (await w.store.get(w.record.id))!;
    expect(stored.checklist.filter((i) => i.doneAt).map((i) => [i.id, i.doneBy, i.doneAt])).toEqual([[first!.id, JOINER.id, w.now], [second!.id, JOINER.id, w.now]]);
    const toggles = ofType(result.card, 'Input.Toggle');
    expect(toggles.slice(0, 3).map((t) => t.value)).toEqual(['true', 'true', 'false']);
    expect(text(result.card)).toContain(`Checklist: 2 of ${stored.checklist.length} done`);
    expect(result.card.refresh.userIds).toEqual(['29:clicker-frank', '29:demo-frank', '29:demo-bob']);
    const audits = await w.audit.find({ action: 'onboarding.checklist' });
    expect(audits).toEqual([expect.objectContaining({ actor: JOINER.id, result: 'success', target: `onboarding:${w.record.id}`, activityId: 'act-onboarding.checklist', details: { ticked: [first!.id, second!.id], unticked: [], done: 2, of: stored.checklist.length } })]);

    await w.click(ONBOARDING_WELCOME_VERBS.checklist, JOINER, { [`check.${first!.id}`]: 'false' });
    expect((await w.store.get(w.record.id))!.checklist.filter((i) => i.doneAt).map((i) => i.id)).toEqual([second!.id]);
  });

  it.each([['manager', MANAGER], ['buddy', BUDDY], ['someone else', OTHER]])('the %s is refused in words, nothing is stored, the refusal is audited', async (_who, person) => {
    const w = await world();
    expect(await w.refused(w.click(ONBOARDING_WELCOME_VERBS.checklist, person, { [`check.${w.record.checklist[0]!.id}`]: 'true' }))).toBe('ONBOARDING.NOT_JOINER');
    expect((await w.store.get(w.record.id))!.checklist.some((i) => i.doneAt)).toBe(false);
    expect(await w.audit.find({ action: 'onboarding.checklist' })).toEqual([expect.objectContaining({ actor: person.id, result: 'denied' })]);
  });

  it('a closed onboarding or an unknown one changes nothing', async () => {
    const w = await world();
    await w.store.markOffboarded(w.record.id, w.now);
    expect(await w.refused(w.click(ONBOARDING_WELCOME_VERBS.checklist, JOINER, { [`check.${w.record.checklist[0]!.id}`]: 'true' }))).toBe('ONBOARDING.CLOSED');
    expect(await w.refused(w.click(ONBOARDING_WELCOME_VERBS.checklist, JOINER, { onboardingId: 'gone' }))).toBe('ONBOARDING.RECORD_NOT_FOUND');
    expect((await w.store.get(w.record.id))!.checklist.some((i) => i.doneAt)).toBe(false);
  });
});

describe('Refresh', () => {
  it('draws each viewer\'s own view; an unknown record is refused', async () => {
    const w = await world();
    const joiner = await w.click(ONBOARDING_WELCOME_VERBS.refresh, JOINER);
    const manager = await w.click(ONBOARDING_WELCOME_VERBS.refresh, MANAGER);
    expect(ofType(joiner.card, 'Input.Toggle').length).toBe(w.record.checklist.length);
    expect(joiner.card.actions.find((a: any) => a.type === 'Action.OpenUrl').url).toBe(`https://bot.example/dl/${w.record.id}?token=${w.record.downloadToken}`);
    expect(ofType(manager.card, 'Input.Toggle')).toEqual([]);
    expect(manager.card.actions ?? []).toEqual([]);
    expect(await w.refused(w.click(ONBOARDING_WELCOME_VERBS.refresh, JOINER, { onboardingId: 'gone' }))).toBe('ONBOARDING.RECORD_NOT_FOUND');
  });
});

describe('Open as a pull request', () => {
  it('commits the generated devcontainer.json on one branch and opens one pull request, whatever the clicks', async () => {
    const w = await world();
    const first = await w.click(ONBOARDING_WELCOME_VERBS.devcontainerPr, JOINER, { repository: 'Payments/payments-api' });
    expect(first.message).toMatch(/^I opened pull request \d+ in Payments\/payments-api with the dev container: http/);
    const again = await w.click(ONBOARDING_WELCOME_VERBS.devcontainerPr, JOINER, { repository: 'payments/PAYMENTS-API' });
    expect(again.message).toMatch(/^You already have pull request \d+/);
    const branch = devcontainerBranch(w.record.id, 'Payments/payments-api');
    expect(w.ado.pullRequests.filter((pr) => pr.status === 'active')).toEqual([expect.objectContaining({ sourceRefName: `refs/heads/${branch}`, targetRefName: 'refs/heads/main', title: 'Add a dev container (Backend engineer (Java))' })]);
    const file = await w.ado.readFile('Payments', 'payments-api', DEVCONTAINER_PATH, branch);
    const { environment } = await w.pack(w.record);
    expect(JSON.parse(file!).postCreateCommand).toContain('git clone');
    expect(file).toBe(devcontainerText(environment.devcontainer));
    expect(await w.ado.readFile('Payments', 'payments-api', DEVCONTAINER_PATH, 'main')).toBeNull();
    // Newest first: the second click found what the first made.
    expect((await w.audit.find({ action: 'onboarding.devcontainer-pr' })).map((a) => [a.result, a.details?.created, a.details?.branch])).toEqual([['success', false, branch], ['success', true, branch]]);
  });

  it('refuses anyone but the joiner, a repository the team does not own, and a repository that has its own dev container', async () => {
    const w = await world();
    expect(await w.refused(w.click(ONBOARDING_WELCOME_VERBS.devcontainerPr, MANAGER, { repository: 'Payments/payments-api' }))).toBe('ONBOARDING.NOT_JOINER');
    expect(await w.refused(w.click(ONBOARDING_WELCOME_VERBS.devcontainerPr, JOINER, { repository: 'Search/search-api' }))).toBe('ONBOARDING.REPOSITORY_NOT_IN_TEAM');
    w.ado.putFile('Payments', 'payments-web', DEVCONTAINER_PATH, '{ "image": "ours" }');
    expect(await w.refused(w.click(ONBOARDING_WELCOME_VERBS.devcontainerPr, JOINER, { repository: 'Payments/payments-web' }))).toBe('ONBOARDING.DEVCONTAINER_EXISTS');
    expect(w.ado.pullRequests).toEqual([]);
    expect((await w.audit.find({ action: 'onboarding.devcontainer-pr' })).map((a) => a.result).sort()).toEqual(['denied', 'failure', 'failure']);
  });

  it('without Azure DevOps the card offers no pull request, and an old button says why', async () => {
    const w = await world();
    const actions = welcomeCardActions({ store: w.store, pack: w.pack, checklist: { save: async () => w.record }, conversations: new InMemoryConversationDirectory(), downloadUrl: () => undefined, linkHosts: [] });
    const run = (verb: string, data: Record<string, unknown>) => actions.find((a) => a.verb === verb)!.run({ turn: { activity: {} } as any, actor: { id: JOINER.id, name: JOINER.name, channelId: '29:f', verified: true }, data: { onboardingId: w.record.id, ...data } }) as Promise<any>;
    const card = (await run(ONBOARDING_WELCOME_VERBS.refresh, {})).card;
    expect(actionsOf(card)).toEqual([ONBOARDING_WELCOME_VERBS.checklist]);
    expect(ofType(card, 'Input.ChoiceSet')).toEqual([]);
    expect((await run(ONBOARDING_WELCOME_VERBS.devcontainerPr, { repository: 'Payments/payments-api' })).message).toMatch(/no Azure DevOps is configured/);
    expect(w.ado.pullRequests).toEqual([]);
  });

  it('a button without a repository is refused before anything runs', () => {
    const action = welcomeCardActions({} as any).find((a) => a.verb === ONBOARDING_WELCOME_VERBS.devcontainerPr)!;
    expect(action.data.safeParse({ onboardingId: 'x' }).success).toBe(false);
    expect(action.data.safeParse({ onboardingId: 'x', repository: 'P/r' }).success).toBe(true);
  });
});
