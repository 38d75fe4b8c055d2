import { ActivityHandler, type InvokeResponse } from 'botbuilder';
import { BotHttpAdapter, createBotAuthentication } from '../../src/bot/bot-adapter';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createServer, type BotServer } from '../../src/server';
import { credentialLeaks } from '../helpers/credential-scan';
import { LogCapture } from '../helpers/log-capture';

// A reply restify cannot serialise makes it log the request (`{ req, err }`) through its own
// logger: that logger is ours, and a request is logged without its headers.
const BEARER = 'Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJzb21lLWJvdCIsInNlcnZpY2V1cmwiOiJ4In0.c2lnbmF0dXJlLWJ5dGVz';

class CircularReplyBot extends ActivityHandler {
  protected override async onInvokeActivity(): Promise<InvokeResponse> {
    const body: Record<string, unknown> = { ok: true };
    body.self = body;
    return { status: 200, body };
  }
}

describe('restify logs through the redacting logger', () => {
  const logs = new LogCapture();
  let server: BotServer;
  let url: string;

  beforeAll(async () => {
    const config = loadConfig({ BOT_MODE: 'test' }); // no app id: the Authorization header is not checked
    server = createServer({
      logger: createLogger('info', logs),
      adapter: new BotHttpAdapter(createBotAuthentication(config)),
      bot: new CircularReplyBot(),
      maxBodyBytes: 64 * 1024,
      readiness: [],
    });
    url = await server.listen(0, '127.0.0.1');
  });
  afterAll(() => server.drain(100));

  test('a reply that cannot be serialised: 500, one warn line naming method and path, no header', async () => {
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: BEARER, cookie: 'session=s3cr3t-cookie' },
      body: JSON.stringify({ type: 'invoke', name: 'some/invoke', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9', from: { id: 'u' }, recipient: { id: 'b' }, conversation: { id: 'c' } }),
    });
    expect(res.status).toBe(500);
    const line = logs.find((l) => typeof l.msg === 'string' && l.msg.includes('error in formatter'));
    expect(line).toMatchObject({ component: 'restify', req: { method: 'POST', path: '/api/messages' } });
    expect(credentialLeaks(logs.raw, [{ name: 'the cookie', value: 's3cr3t-cookie' }])).toEqual([]);
    expect(logs.text()).not.toContain('rawHeaders');
  });
});
