import { parseOwnershipQuestion } from '../../src/domain/catalog/ask-phrases';

describe('parseOwnershipQuestion', () => {
  it.each([
    ['who owns payments-api', 'owner', 'payments-api'],
    ['who owns payments-api?', 'owner', 'payments-api'],
    ['Who owns the payments api??', 'owner', 'payments api'],
    ['who own payments-api', 'owner', 'payments-api'],
    ['owner of payments-api?', 'owner', 'payments-api'],
    ['owners of payments-api', 'owner', 'payments-api'],
    ["who's the owner of payments-api", 'owner', 'payments-api'],
    ['who is the owner for payments-api', 'owner', 'payments-api'],
    ['payments-api owner', 'owner', 'payments-api'],
    ["payments-api's owners?", 'owner', 'payments-api'],
    ['whose is payments-api', 'owner', 'payments-api'],
    ['whose payments-api', 'owner', 'payments-api'],
    ['which team owns payments-api', 'owner', 'payments-api'],
    ['who maintains payments-api', 'owner', 'payments-api'],
    ['who owns `payments-api`', 'owner', 'payments-api'],
    ['who owns "payments-api"?', 'owner', 'payments-api'],
    ['who owns <https://dev.azure.com/contoso/Payments/_git/payments-api>', 'owner', 'https://dev.azure.com/contoso/Payments/_git/payments-api'],
    ['who owns <https://dev.azure.com/contoso/Payments/_git/payments-api|payments-api>?', 'owner', 'https://dev.azure.com/contoso/Payments/_git/payments-api'],
    ['who owns <a href="https://grafana.contoso.net/d/abc/payments-api?orgId=1">https://grafana.contoso.net/d/abc/payments-api?orgId=1</a>', 'owner', 'https://grafana.contoso.net/d/abc/payments-api?orgId=1'],
    ['who owns https://grafana.contoso.net/d/abc/payments-api?orgId=1', 'owner', 'https://grafana.contoso.net/d/abc/payments-api?orgId=1'],
    ['who owns payments-api--prod--db-password', 'owner', 'payments-api--prod--db-password'],
    ['  who   owns   payments api  ', 'owner', 'payments api'],
    ['who is on call for payments-api', 'oncall', 'payments-api'],
    ["who's on call for payments-api?", 'oncall', 'payments-api'],
    ['who’s on-call for payments-api?', 'oncall', 'payments-api'],
    ['who is oncall for the payments api', 'oncall', 'payments api'],
    ['who is the on call engineer for payments-api', 'oncall', 'payments-api'],
    ['oncall payments-api', 'oncall', 'payments-api'],
    ['on-call for payments-api', 'oncall', 'payments-api'],
    ['payments-api on call', 'oncall', 'payments-api'],
    ['what does payments-api depend on', 'dependencies', 'payments-api'],
    ['what does payments-api depend on?', 'dependencies', 'payments-api'],
    ['what does the payments api use', 'dependencies', 'payments api'],
    ['payments-api dependencies', 'dependencies', 'payments-api'],
    ["payments-api's deps", 'dependencies', 'payments-api'],
    ['dependencies of payments-api', 'dependencies', 'payments-api'],
    ['who depends on payments-api', 'dependents', 'payments-api'],
    ['what depends on payments-api?', 'dependents', 'payments-api'],
    ['who uses payments-api', 'dependents', 'payments-api'],
    ['what calls payments-api', 'dependents', 'payments-api'],
    ['which services depend on payments-api', 'dependents', 'payments-api'],
    ['dependents of payments-api', 'dependents', 'payments-api'],
  ])('%s', (text, intent, subject) => {
    expect(parseOwnershipQuestion(text)).toEqual({ intent, subject });
  });

  it.each([
    'help',
    'who owns',
    'who owns ?',
    'who is on call',
    'who is the owner',
    'create a repository called payments-api',
    'what does',
    '',
  ])('%j is not an ownership question', (text) => {
    expect(parseOwnershipQuestion(text)).toBeNull();
  });
});
