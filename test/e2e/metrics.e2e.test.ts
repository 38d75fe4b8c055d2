/**
 * GET /metrics on the running sandbox bot: a `who owns` turn and a create-repo job through
 * /api/messages, then the exposition text holds the turn's histogram under its route, the job's
 * step metrics, Azure DevOps requests by status, the catalog index size; with METRICS_TOKEN set a
 * scrape without the token gets 401. The same run checks the logs: every line of the turn carries
 * its activity id, every line of the job its id and type.
 */
import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { REPO_PREVIEW_VERBS } from '../../cards/repo-preview.card';
import { CREATE_REPO_JOB } from '../../src/domain/repos/create-repo.job';
import { TestBot, cardText } from '../helpers/bot-harness';
import { RepoChat, cardOf, requestIdOf, seedCatalog } from '../helpers/repo-chat';

const TOKEN = `metrics-${randomUUID()}`;

/** Sample values of `name` whose labels include `labels`. */
function samples(text: string, name: string, labels: Record<string, string> = {}): number[] {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .flatMap((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match || match[1] !== name) return [];
      const have = (match[2] ?? '').split(/,(?=[a-z_]+=")/);
      return want.every((w) => have.includes(w)) ? [Number(match[3])] : [];
    });
}
const total = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('/metrics (sandbox, over HTTP)', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await TestBot.start({ METRICS_TOKEN: TOKEN, LOG_LEVEL: 'debug' });
    await seedCatalog(bot);
    await bot.running.catalog.refreshIndex();
  });
  afterAll(() => bot.stop());

  const scrape = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => fetch(`${bot.url}/metrics`, { headers });

  test('without the token, or with another, a scrape is refused', async () => {
    const none = await scrape({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await scrape({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await scrape({ authorization: TOKEN })).status).toBe(401);
  });

  test('a turn and a job show in the metrics; their log lines carry their ids', async () => {
    const conversation = { id: `19:metrics-${randomUUID()}@thread.tacv2`, conversationType: 'channel' as const, teamId: '19:metrics@thread.tacv2' };
    const turn = bot.activity('message', { as: 'alice', conversation }, {
      text: '<at>IDP Bot</at> who owns payments-api?',
      entities: [{ type: 'mention', mentioned: { id: '28:idp-bot', name: 'IDP Bot' }, text: '<at>IDP Bot</at>' }],
    } as Partial<Activity>);
    const answered = await bot.post(turn);
    expect(answered.status).toBe(200);
    expect(JSON.stringify(answered.body)).toContain('payments');

    const chat = new RepoChat(bot, 'alice');
    const replies = await chat.say('create repo name=metrics-ledger project=Payments stack=node owner=team-payments description="Ledger for the metrics test" envs=dev');
    const preview = replies.find((r) => cardText(cardOf(r)).includes(REPO_PREVIEW_VERBS.confirm));
    if (!preview) throw new Error(`no preview: ${JSON.stringify(replies.map((r) => r.text))}`);
    const confirmed = await chat.execute(REPO_PREVIEW_VERBS.confirm, { requestId: requestIdOf(cardOf(preview)) }, preview.id);
    expect(confirmed.status).toBe(200);
    await chat.waitForCard(preview.id!, /Created Payments\/metrics-ledger/);

    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();

    expect(total(samples(text, 'idp_turn_duration_seconds_count', { route: 'command:who owns', activity_type: 'message' }))).toBeGreaterThanOrEqual(1);
    expect(total(samples(text, 'idp_turn_duration_seconds_count', { route: `card:${REPO_PREVIEW_VERBS.confirm}`, activity_type: 'invoke' }))).toBe(1);
    expect(total(samples(text, 'idp_invoke_duration_seconds_count', { name: 'adaptiveCard/action', status: '200' }))).toBeGreaterThanOrEqual(1);
    for (const step of ['create-repository', 'initial-commit', 'finalize']) {
      expect(samples(text, 'idp_job_step_duration_seconds_count', { job_type: CREATE_REPO_JOB, step, outcome: 'succeeded' })).toEqual([1]);
    }
    expect(samples(text, 'idp_jobs_finished_total', { job_type: CREATE_REPO_JOB, outcome: 'succeeded' })).toEqual([1]);
    expect(total(samples(text, 'idp_upstream_requests_total', { service: 'azure-devops', status: '200' }))).toBeGreaterThan(0);
    expect(total(samples(text, 'idp_upstream_requests_total', { service: 'azure-devops', status: '201' }))).toBeGreaterThan(0);
    expect(total(samples(text, 'idp_upstream_request_duration_seconds_count', { service: 'azure-devops' }))).toBeGreaterThan(0);
    // Replies with deliveryMode normal and the progress card updates went to the connector stand-in.
    expect(total(samples(text, 'idp_upstream_requests_total', { service: 'bot-connector' }))).toBeGreaterThan(0);
    expect(samples(text, 'idp_catalog_index_entities')[0]).toBeGreaterThan(0);
    expect(samples(text, 'idp_catalog_index_revision')[0]).toBeGreaterThan(0);
    expect(text).toContain('# TYPE idp_jobs_queued gauge');
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    // No user text, ids or secrets in labels.
    for (const leak of ['payments-api?', 'metrics-ledger', conversation.id, TOKEN]) expect(text).not.toContain(leak);

    const turnLines = bot.logs.lines.filter((l) => l.conversationId === conversation.id || l.activityId === turn.id);
    expect(turnLines.length).toBeGreaterThan(0);
    for (const line of turnLines) expect(line).toMatchObject({ activityId: turn.id });
    const jobLines = bot.logs.lines.filter((l) => typeof l.jobId === 'string' && l.jobType === CREATE_REPO_JOB);
    expect(jobLines.filter((l) => l.msg === 'job step finished')).toHaveLength(7);
    for (const line of bot.logs.lines.filter((l) => 'jobId' in l)) expect(line).toHaveProperty('jobType');
  });
});
