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

  test('a turn logger carries the activity id', () => {
    const capture = new LogCapture();
    const log = createLogger('info', capture).child({ activityId: 'act-1' });
    log.warn('x');
    expect(capture.lines[0]).toMatchObject({ activityId: 'act-1', msg: 'x', level: 40 });
  });
});
