/** The DevOpsAccess contract on the in-memory fake (AzureDevOpsUserAccess: test/integration/devops-access.contract.int.test.ts), and the fake's failure injection. */
import { DomainError } from '../../src/domain/domain-error';
import { CONTRACT_ACCESS, devOpsAccessContract } from '../contracts/devops-access.contract';
import { InMemoryDevOpsAccess } from '../fakes/in-memory-devops-access';

devOpsAccessContract('InMemoryDevOpsAccess', async () => ({ access: new InMemoryDevOpsAccess(CONTRACT_ACCESS), close: async () => undefined }));

test('InMemoryDevOpsAccess: an injected failure rejects the next call of that method only, and changes nothing', async () => {
  const access = new InMemoryDevOpsAccess(CONTRACT_ACCESS);
  const throttled = new DomainError('UPSTREAM.THROTTLED', 'Azure DevOps is throttling requests');
  access.failNext(throttled, { method: 'grant' });
  expect(await access.entitlementOf('henry@contoso.example')).toBeNull();
  await expect(access.grant('henry@contoso.example', 'express', [{ project: 'Payments', group: 'projectReader' }])).rejects.toBe(throttled);
  expect(await access.entitlementOf('henry@contoso.example')).toBeNull();
  expect((await access.grant('henry@contoso.example', 'express', [{ project: 'Payments', group: 'projectReader' }])).entitlementCreated).toBe(true);
  expect(access.calls.map((c) => c.method)).toEqual(['entitlementOf', 'grant', 'entitlementOf', 'grant']);
});
