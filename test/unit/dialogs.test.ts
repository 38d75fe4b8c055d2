/**
 * The flows' dialogs alone (botbuilder-testing's DialogTestClient), over the domain on in-memory
 * fakes: one table of cases per dialog, each a conversation and what the bot must answer at each
 * turn. The sandbox e2e suites cover the same flows through /api/messages; these cover branches.
 */
import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { AddPipelineDialog } from '../../dialogs/add-pipeline/add-pipeline.dialog';
import { CreateRepoDialog } from '../../dialogs/create-repo/create-repo.dialog';
import { FeedbackDialog } from '../../dialogs/feedback/feedback.dialog';
import { rememberActor } from '../../src/bot/identity';
import { FeedbackService } from '../../src/domain/feedback/feedback.service';
import type { FeedbackStore } from '../../src/domain/feedback/feedback.port';
import type { FeedbackRecord } from '../../src/domain/feedback/feedback.types';
import { userBySlug } from '../../src/sandbox/seed/demo-org';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { repoWorld } from '../helpers/repo-fakes';

/** Every activity as Teams sends it for this demo user: the acting user is their Entra object id. */
const asUser = (slug: string): Middleware => ({
  onTurn: async (turn: TurnContext, next: () => Promise<void>) => {
    const u = userBySlug(slug);
    turn.activity.from = { id: u.teamsId, aadObjectId: u.id, name: u.displayName };
    rememberActor(turn, ['msteams']);
    await next();
  },
});

/** A turn: what the user sends (text or a form's value), and what each reply must match. */
interface Turn {
  send: string | { value: Record<string, unknown> };
  expect: (RegExp | ((reply: Partial<Activity>) => void))[];
}

interface Case {
  name: string;
  as?: string;
  options?: object;
  turns: Turn[];
  /** Where the dialog is after the last turn. */
  status: DialogTurnStatus;
}

const text = (a: Partial<Activity> | undefined) => `${a?.text ?? ''} ${JSON.stringify(a?.attachments ?? [])}`;

async function play(client: DialogTestClient, turns: Turn[]): Promise<void> {
  for (const turn of turns) {
    const activity = typeof turn.send === 'string' ? turn.send : ({ type: 'message', value: turn.send.value } as Partial<Activity>);
    let reply = await client.sendActivity(activity);
    for (const check of turn.expect) {
      if (check instanceof RegExp) expect(text(reply)).toMatch(check);
      else check(reply);
      reply = client.getNextReply();
    }
  }
}

describe('CreateRepoDialog', () => {
  let world: Awaited<ReturnType<typeof repoWorld>>;
  beforeEach(async () => (world = await repoWorld()));
  afterEach(() => world.stop());

  const full = 'name=payments-ledger project=Payments stack=node owner=team-payments description="Ledger of card payments" envs=dev,staging';
  const cases: Case[] = [
    { name: 'everything given at once: the preview, and the dialog ends', options: { text: full }, turns: [{ send: 'go', expect: [/Here is exactly what I will create[\s\S]*Create Payments\/payments-ledger\?/] }], status: DialogTurnStatus.complete },
    {
      name: 'nothing given: the form asks for every field',
      options: { text: '' },
      turns: [{ send: 'go', expect: [/I still need: repository name, azure devops project, stack, owner team, description, deployment targets\./] }],
      status: DialogTurnStatus.waiting,
    },
    {
      name: 'a bad name: why, and a form that keeps the rest',
      options: { text: 'name=Payments_Ledger project=Payments stack=node owner=team-payments description="x y z" envs=dev' },
      turns: [{ send: 'go', expect: [/Some values need fixing \(nothing was created\)[\s\S]*name/i] }],
      status: DialogTurnStatus.waiting,
    },
    {
      name: 'the form then typed key=value pairs: the preview',
      options: { text: 'name=payments-ledger project=Payments' },
      turns: [
        { send: 'go', expect: [/I still need: stack, owner team, description, deployment targets\./] },
        { send: 'stack=node owner=team-payments description="Ledger of card payments" envs=dev', expect: [/Here is exactly what I will create/] },
      ],
      status: DialogTurnStatus.complete,
    },
    {
      name: 'the form submitted: merged over what was known, then the preview',
      options: { text: 'name=payments-ledger project=Payments stack=node' },
      turns: [
        { send: 'go', expect: [/I still need: owner team, description, deployment targets\./] },
        { send: { value: { createRepoForm: 'submit', owner: 'team-payments', description: 'Ledger of card payments', envs: 'dev,staging' } }, expect: [/Here is exactly what I will create/] },
      ],
      status: DialogTurnStatus.complete,
    },
    {
      name: "the form's Cancel: nothing created",
      options: { text: '' },
      turns: [
        { send: 'go', expect: [/I still need/] },
        { send: { value: { createRepoForm: 'cancel' } }, expect: [/Cancelled\. Nothing was created\./] },
      ],
      status: DialogTurnStatus.complete,
    },
    {
      name: 'someone outside the owner team is refused as soon as the team is known, before the rest is asked',
      as: 'dave',
      options: { text: 'owner=team-payments' },
      turns: [{ send: 'go', expect: [/I cannot create it for you: Dave Searcher is not a member of the team Payments/] }],
      status: DialogTurnStatus.complete,
    },
    {
      name: 'an existing repository: a link, and "add pipeline" suggested',
      options: { text: 'name=payments-api project=Payments stack=node owner=team-payments description="x" envs=dev' },
      turns: [{ send: 'go', expect: [/Payments\/payments-api\*\* already exists[\s\S]*add pipeline to payments-api/] }],
      status: DialogTurnStatus.complete,
    },
    {
      name: 'an unknown team: said on the form, with a suggestion',
      options: { text: 'name=payments-ledger project=Payments stack=node owner=team-paymnts description="x" envs=dev' },
      turns: [{ send: 'go', expect: [/is not a team in the service catalog/] }],
      status: DialogTurnStatus.waiting,
    },
  ];

  test.each(cases)('$name', async ({ as = 'alice', options, turns, status }) => {
    const client = new DialogTestClient('msteams', new CreateRepoDialog(world.createRepo), options, [asUser(as)]);
    await play(client, turns);
    expect(client.dialogTurnResult.status).toBe(status);
  });
});

describe('AddPipelineDialog', () => {
  let world: Awaited<ReturnType<typeof repoWorld>>;
  beforeEach(async () => (world = await repoWorld()));
  afterEach(() => world.stop());

  const dialog = () => new AddPipelineDialog(world.addPipeline);
  const cases: Case[] = [
    { name: 'no repository named: asks which, ends', options: { text: '' }, turns: [{ send: 'go', expect: [/Which repository\?/] }], status: DialogTurnStatus.complete },
    {
      name: 'an unknown repository: says where it looked, escaped',
      options: { text: 'no_such__repo' },
      turns: [{ send: 'go', expect: [/could not find a repository `no_such__repo` in `Payments, Platform, Search`/] }],
      status: DialogTurnStatus.complete,
    },
  ];

  test.each(cases)('$name', async ({ as = 'alice', options, turns, status }) => {
    const client = new DialogTestClient('msteams', dialog(), options, [asUser(as)]);
    await play(client, turns);
    expect(client.dialogTurnResult.status).toBe(status);
  });

  test('a repository ready for a pipeline: the preview with Confirm, and nothing changed yet', async () => {
    const client = new DialogTestClient('msteams', dialog(), { text: 'payments-web stack=node envs=dev' }, [asUser('alice')]);
    await play(client, [{ send: 'go', expect: [/Here is exactly what I will do[\s\S]*Add the golden-path pipeline to Payments\/payments-web\?[\s\S]*"title":"Confirm"/] }]);
    expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
    expect(world.ado.snapshot().pullRequests).toEqual([]);
  });

  test('several stacks at the root: it asks which, then previews', async () => {
    world.ado.putFile('Payments', 'payments-api', '/package.json', '{}');
    const client = new DialogTestClient('msteams', dialog(), { text: 'payments-api envs=dev' }, [asUser('alice')]);
    await play(client, [
      { send: 'go', expect: [/I found build files for Java Spring Boot and Node\.js at the root of payments-api\. Which stack/] },
      { send: 'Node.js', expect: [/Add the golden-path pipeline to Payments\/payments-api\?/] },
    ]);
  });

  test('someone outside the owner team: the dialog fails with ACCESS.DENIED for the guard to answer', async () => {
    const client = new DialogTestClient('msteams', dialog(), { text: 'payments-web stack=node' }, [asUser('dave')]);
    await expect(client.sendActivity('go')).rejects.toMatchObject({ error: { code: 'ACCESS.DENIED' } });
  });
});

describe('FeedbackDialog', () => {
  const records: FeedbackRecord[] = [];
  const store: FeedbackStore = {
    insertOnce: async (record) => (records.find((r) => r.idempotencyKey === record.idempotencyKey) ?? (records.push(record), record)),
    countAll: async () => records.length,
  };
  const service = new FeedbackService(store, new InMemoryAuditLog());

  const cases: Case[] = [
    {
      name: 'text with the command: asks only how urgent, then records it for the acting user',
      options: { text: 'the docs link is dead' },
      turns: [
        { send: 'go', expect: [/How urgent is it\?/] },
        { send: 'low', expect: [/Thanks! Recorded as \S+ \(low\)/] },
      ],
      status: DialogTurnStatus.complete,
    },
    {
      name: 'no text: asks what, then how urgent',
      options: {},
      turns: [
        { send: 'go', expect: [/What should the platform team know\?/] },
        { send: 'search is slow', expect: [/How urgent is it\?/] },
        { send: 'blocking', expect: [/Thanks! Recorded as \S+ \(blocking\)/] },
      ],
      status: DialogTurnStatus.complete,
    },
    {
      name: 'an urgency that is not offered: asked again',
      options: { text: 'the docs link is dead' },
      turns: [
        { send: 'go', expect: [/How urgent is it\?/] },
        { send: 'whenever', expect: [/Please pick one of/] },
      ],
      status: DialogTurnStatus.waiting,
    },
  ];

  test.each(cases)('$name', async ({ options, turns, status }) => {
    const client = new DialogTestClient('msteams', new FeedbackDialog(service), options, [asUser('alice')]);
    await play(client, turns);
    expect(client.dialogTurnResult.status).toBe(status);
  });

  test('the record names the acting user by Entra object id', () => {
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.from.id === userBySlug('alice').id)).toBe(true);
  });
});
