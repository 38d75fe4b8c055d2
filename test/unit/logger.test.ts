import { createLogger } from '../../src/logger';
import { LogCapture } from '../helpers/log-capture';

describe('structured logs', () => {
  test('authorization headers and anything named like a secret are redacted', () => {
    const capture = new LogCapture();
    const log = createLogger('info', capture);
    log.info(
      {
        req: { headers: { authorization: 'Bearer eyJhbGciOi.secret.token' } },
        password: 'hunter2',
        config: { AZURE_DEVOPS_PAT: 'pat-value', nested: { clientSecret: 'cs-value' } },
        entry: { secretName: 'payments-api--prod--db', value: 's3cr3t-value' },
        token: 'tok-value',
      },
      'something happened',
    );
    const text = capture.text();
    for (const leaked of ['eyJhbGciOi', 'hunter2', 'pat-value', 'cs-value', 's3cr3t-value', 'tok-value']) expect(text).not.toContain(leaked);
    expect(text).toContain('[redacted]');
    expect(text).toContain('payments-api--prod--db'); // names are fine, values are not
  });

  test('an error keeps message and stack but not the requests and headers hanging off it', () => {
    const capture = new LogCapture();
    const log = createLogger('info', capture);
    const cause = Object.assign(new Error('socket hang up'), { config: { headers: { Authorization: 'Basic cGF0LXZhbHVl' } } });
    const err = Object.assign(new Error('Azure DevOps answered 500', { cause }), {
      statusCode: 500,
      request: { url: 'https://dev.azure.com/x', headers: { authorization: 'Bearer eyJhbGciOi.request.token' } },
      response: { status: 500, headers: { 'set-cookie': 'session=abc' } },
      rawHeaders: ['Authorization', 'Bearer eyJhbGciOi.raw.token'],
    });
    log.error({ err }, 'call failed');
    const text = capture.text();
    for (const leaked of ['eyJhbGciOi', 'cGF0LXZhbHVl', 'session=abc']) expect(text).not.toContain(leaked);
    expect(capture.lines[0]).toMatchObject({ err: { message: expect.stringContaining('Azure DevOps answered 500'), statusCode: 500, stack: expect.any(String) } });
  });

  test('a logged request is method and path only', () => {
    const capture = new LogCapture();
    createLogger('info', capture).warn({ req: { method: 'POST', url: '/api/messages?code=abc', headers: { authorization: 'Bearer x' }, rawHeaders: ['Authorization', 'Bearer x'] } }, 'r');
    expect(capture.lines[0]!.req).toEqual({ method: 'POST', path: '/api/messages' });
  });

  test('headers and rawHeaders anywhere are redacted whole', () => {
    const capture = new LogCapture();
    createLogger('info', capture).info({ call: { headers: { 'x-api-key': 'k-value' }, rawHeaders: ['X-Api-Key', 'k-value'] }, headers: { 'x-functions-key': 'f-value' } }, 'h');
    expect(capture.text()).not.toMatch(/k-value|f-value/);
  });

  test('a turn logger carries the activity id', () => {
    const capture = new LogCapture();
    const log = createLogger('info', capture).child({ activityId: 'act-1' });
    log.warn('x');
    expect(capture.lines[0]).toMatchObject({ activityId: 'act-1', msg: 'x', level: 40 });
  });
});
