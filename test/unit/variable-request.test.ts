/** The words of set variable / set secret variable / list variables. */
import { parseListVariables, parseVariableCommand, secretPartOf } from '../../src/domain/secrets/variable-request';

describe('parseVariableCommand', () => {
  it.each([
    ['set variable LOG_LEVEL=debug for payments-api in dev', { kind: 'plain', name: 'LOG_LEVEL', value: 'debug', service: 'payments-api', env: 'dev' }],
    ['set variable FLAGS="a b = c" for payments-api in staging', { kind: 'plain', name: 'FLAGS', value: 'a b = c', service: 'payments-api', env: 'staging' }],
    ['Set pipeline variable EMPTY= for payments-api in dev', { kind: 'plain', name: 'EMPTY', value: '', service: 'payments-api', env: 'dev' }],
    ['set secret variable DB_PASSWORD for payments-api in prod value=type', { kind: 'secret', name: 'DB_PASSWORD', service: 'payments-api', env: 'prod', options: 'value=type' }],
    ['set variable DB_PASSWORD secret for payments-api in dev', { kind: 'secret', name: 'DB_PASSWORD', service: 'payments-api', env: 'dev', options: '' }],
    ['set variable DB_PASSWORD=hunter2 as secret for payments-api in dev', { kind: 'secret-with-value', name: 'DB_PASSWORD', service: 'payments-api', env: 'dev' }],
  ])('%s', (text, expected) => expect(parseVariableCommand(text)).toEqual(expected));

  it('refuses what it cannot read, without repeating the text (it may hold a value)', () => {
    for (const text of ['set variable X=two words for payments-api in dev', 'set variable X=1 for payments-api', 'set variable X for payments-api in dev', 'set secret variable X=hunter2 for a in dev']) {
      const parsed = parseVariableCommand(text);
      expect(parsed.kind).toBe('unreadable');
      expect(JSON.stringify(parsed)).not.toMatch(/two words|hunter2/);
    }
  });

  it('list variables for a service, optionally in one environment', () => {
    expect(parseListVariables('list variables for payments-api')).toEqual({ service: 'payments-api' });
    expect(parseListVariables('show pipeline variables of payments-api in prod')).toEqual({ service: 'payments-api', env: 'prod' });
    expect(parseListVariables('list variables')).toBeNull();
  });

  it('a variable name as part of a Key Vault secret name', () => expect(secretPartOf('DB_PASSWORD.v2')).toBe('db-password-v2'));
});
