/**
 * What a caller who does not play by the rules gets: forged or malformed invoke data, unknown
 * verbs and invoke names, stale forms, unverified identities, markdown in what is echoed, long
 * input, and an upstream failure in the middle of a dialog. Each gets a clear, specific answer,
 * changes nothing, and never produces a "turn failed" log line.
 */
import type { Activity } from 'botbuilder';
import { REPO_PREVIEW_VERBS } from '../../cards/repo-preview.card';
import { JOB_RETRY_VERB } from '../../cards/job-progress.card';
import { CATALOG_PICK_VERB } from '../../cards/catalog-choices.card';
import { userBySlug } from '../../src/sandbox/seed/demo-org';
import { replyText, TestBot } from '../helpers/bot-harness';
import { allCardVerbs } from '../helpers/card-verbs';
import { RepoChat, seedCatalog } from '../helpers/repo-chat';

let bot: TestBot;

beforeAll(async () => {
  bot = await TestBot.start();
  await seedCatalog(bot);
  await bot.running.catalog.refreshIndex();
});
afterAll(() => bot?.stop());
afterEach(() => {
  bot.running.sandbox!.azureDevOps.clearFaults();
  expect(bot.logs.find((l) => l.msg === 'turn failed')).toBeUndefined();
});

const invoke = (name: string | undefined, value: unknown, extra: Partial<Activity> = {}) =>
  bot.post(bot.activity('invoke', { deliveryMode: 'normal' }, { ...(name !== undefined ? { name } : {}), value, ...extra } as Partial<Activity>));

const messageOf = (body: unknown): string => {
  const b = body as { value?: unknown; message?: string };
  return typeof b.value === 'string' ? b.value : ((b.value as { message?: string } | undefined)?.message ?? b.message ?? JSON.stringify(body));
};

describe('card actions with forged or malformed data', () => {
  test.each([
    ['no action at all', {}, /do not know the card action "\(none\)"/],
    ['a verb that is an object', { action: { type: 'Action.Execute', verb: { $gt: '' } } }, /do not know the card action "\(none\)"/],
    ['an unknown verb', { action: { type: 'Action.Execute', verb: 'repo.delete.everything' } }, /do not know the card action "repo\.delete\.everything"/],
    ['an object where the request id goes', { action: { type: 'Action.Execute', verb: REPO_PREVIEW_VERBS.confirm, data: { requestId: { $ne: null } } } }, /This button sent data I cannot use \(requestId: /],
    ['a request id that is not one', { action: { type: 'Action.Execute', verb: REPO_PREVIEW_VERBS.cancel, data: { requestId: '../../etc' } } }, /requestId: is not a request id/],
    ['a number where the entity ref goes', { action: { type: 'Action.Execute', verb: CATALOG_PICK_VERB, data: { ref: 42 } } }, /This button sent data I cannot use \(ref: /],
    ['an intent nobody knows', { action: { type: 'Action.Execute', verb: CATALOG_PICK_VERB, data: { ref: 'component:default/payments-api', intent: 'drop' } } }, /intent: /],
    ['data that is an array', { action: { type: 'Action.Execute', verb: JOB_RETRY_VERB, data: ['x'] } }, /This button sent data I cannot use/],
  ])('%s: 400 with the reason', async (_what, value, reason) => {
    const res = await invoke('adaptiveCard/action', value);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    expect(messageOf(res.body)).toMatch(reason);
  });

  test.each(allCardVerbs())('%s has a handler in the running bot (empty data is refused by its schema, not as unknown)', async (verb) => {
    const res = await invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data: { requestId: 7, jobId: 7, ref: 7 } } });
    expect(messageOf(res.body)).not.toMatch(/do not know the card action/);
  });

  test('Retry of a job that does not exist says so and changes nothing', async () => {
    const res = await invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: JOB_RETRY_VERB, data: { jobId: 'no-such-job' } } });
    expect(res.status).toBe(200);
    expect(messageOf(res.body)).toBe('I cannot find that job any more.');
  });

  test('Confirm of a request id nobody stored: "cannot find that request"', async () => {
    const res = await invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: REPO_PREVIEW_VERBS.confirm, data: { requestId: 'aaaaaaaaaaaaaaaaaaaaaaaa' } } });
    expect(messageOf(res.body)).toBe('I cannot find that request any more; nothing was created. Type create repo to start again.'); // plain text: the client shows no markdown
  });
});

describe('other invokes', () => {
  test('an unknown invoke name gets 400 with the name', async () => {
    const res = await invoke('fileConsent/invoke', { anything: true });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/do not handle "fileConsent\/invoke"/);
  });

  test('an invoke without a name gets 400', async () => {
    const res = await invoke(undefined, {});
    expect(res.status).toBe(400);
  });

  test('a message-extension query whose value is not an object: a message, not a failure', async () => {
    const res = await invoke('composeExtension/query', 'payments');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ composeExtension: { type: 'message', text: expect.stringMatching(/malformed \(its value is not an object\)/) } });
  });

  test('a message-extension query with parameters that are not a list finds nothing (and fails nothing)', async () => {
    const res = await invoke('composeExtension/query', { commandId: 'searchServices', parameters: { name: 'query', value: 'payments' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ composeExtension: { type: 'result', attachments: [] } });
  });

  test('selecting an item with a forged ref answers "could not find", not an error', async () => {
    const res = await invoke('composeExtension/selectItem', { ref: { $regex: '.*' } });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toMatch(/could not find/);
  });
});

describe('identity: changes only for a person Teams vouches for', () => {
  test.each([
    ['the Emulator', { channelId: 'emulator' }],
    ['Teams without an Entra object id', { from: { id: '29:someone', name: 'Alice Developer' } }],
  ])('%s: "create repo" is refused, "who owns" still answers', async (_what, extra) => {
    const refused = await bot.post(bot.activity('message', {}, { text: 'create repo', ...extra } as Partial<Activity>));
    expect(replyText(refused.body.activities[0])).toMatch(/I make changes only for a person Microsoft Teams signs in/);
    const answered = await bot.post(bot.activity('message', {}, { text: 'who owns payments-api', ...extra } as Partial<Activity>));
    expect(JSON.stringify(answered.body.activities[0])).toMatch(/Payments API/);
  });

  test('a Confirm click from an unverified identity is refused before anything is read', async () => {
    const res = await invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: REPO_PREVIEW_VERBS.confirm, data: { requestId: 'aaaaaaaaaaaaaaaaaaaaaaaa' } } }, { channelId: 'webchat' });
    expect(messageOf(res.body)).toMatch(/I make changes only for a person Microsoft Teams signs in/);
  });
});

describe('what the bot echoes renders as typed', () => {
  test.each([
    ['a markdown link (and its URL is not linked)', '[click here](https://evil.example/login)', '`[click here](https://evil.example/login)`'],
    ['dunder names and angle brackets', 'open __init__.py <words>', '`open __init__.py <words>`'],
    ['a numbered list', '1. drop everything', '`1. drop everything`'],
    ['backticks that would end the code span', 'run `rm -rf` now', "`run 'rm -rf' now`"],
  ])('%s: quoted as code, where nothing is markdown', async (_what, text, shown) => {
    const [reply] = await bot.say(text);
    expect(replyText(reply!)).toContain(`I did not understand ${shown}.`);
  });

  test('long input is cut when quoted, with a note saying how much', async () => {
    const [reply] = await bot.say(`zz ${'x'.repeat(200)}`);
    expect(replyText(reply!)).toMatch(/… \(143 more characters not shown\)`/);
  });

  test('a message over 4,000 characters is refused whole: no command runs on a cut', async () => {
    const [reply] = await bot.say(`feedback ${'x'.repeat(5000)}`);
    expect(replyText(reply!)).toBe("That message is 5,009 characters long; I read messages of up to 4,000. Nothing was changed.");
  });

  test('"did you mean" lists the closest commands once, without a doubled question mark', async () => {
    const [reply] = await bot.say('whoo owns payments-api');
    expect(replyText(reply!)).toMatch(/Did you mean \*\*who owns payments-api\*\*(, \*\*[^*]+\*\*)*( or \*\*[^*]+\*\*)?\? Type/);
  });
});

describe('stale forms and upstream failures in a dialog', () => {
  test('a create-repo form submitted after cancel says what happened and how to start again', async () => {
    const chat = new RepoChat(bot, 'alice');
    await chat.say('create repo');
    await chat.say('cancel');
    const [reply] = await chat.submit({ createRepoForm: 'submit', name: 'payments-late', project: 'Payments' });
    expect(reply!.text).toMatch(/That form belongs to a conversation that has ended.*Nothing was changed\. Type \*\*create repo\*\* to start again\./);
  });

  test('Azure DevOps refusing to list projects while planning: the person reads which call and which permission', async () => {
    bot.running.sandbox!.azureDevOps.addFault({ method: 'GET', path: '/_apis/projects', kind: 'status', status: 401 });
    const replies = await bot.say('create repo name=payments-ledger2 project=Payments stack=node owner=team-payments description="Ledger" envs=dev', { as: userBySlug('alice') });
    const text = replies.map(replyText).join('\n');
    expect(text).toMatch(/I lack a permission: Azure DevOps refused to list projects \(HTTP 401\): the bot's credentials need "Project and Team \(Read\)"/);
    expect(text).not.toMatch(/Sorry, something went wrong/);
    // The dialog ended with the failure: the next message starts clean.
    const [next] = await bot.say('help');
    expect(JSON.stringify(next)).toMatch(/What I can do/);
  });
});
