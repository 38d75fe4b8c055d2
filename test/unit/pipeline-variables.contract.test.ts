/** The PipelineVariables contract on the in-memory fake (AzureDevOpsPipelineVariables: test/integration/pipeline-variables.contract.int.test.ts), and the fake's failure injection. */
import { DomainError } from '../../src/domain/domain-error';
import { CONTRACT_GROUP, pipelineVariablesContract } from '../contracts/pipeline-variables.contract';
import { InMemoryPipelineVariables } from '../fakes/in-memory-pipeline-variables';

function seeded(): InMemoryPipelineVariables {
  const fake = new InMemoryPipelineVariables();
  fake.seedGroup(CONTRACT_GROUP.project, CONTRACT_GROUP.name, CONTRACT_GROUP.variables);
  return fake;
}

pipelineVariablesContract('InMemoryPipelineVariables', async () => {
  const fake = seeded();
  return { variables: fake, secretDigest: (p, g, n) => fake.secretDigest(p, g, n), seedGroup: async (p, n, v) => fake.seedGroup(p, n, v), close: async () => undefined };
});

test('InMemoryPipelineVariables: an injected failure rejects the next call of that method only, and changes nothing', async () => {
  const fake = seeded();
  const throttled = new DomainError('UPSTREAM.THROTTLED', 'Azure DevOps is throttling requests');
  fake.failNext(throttled, { method: 'setVariable' });
  await expect(fake.list(CONTRACT_GROUP.project, CONTRACT_GROUP.name)).resolves.not.toBeNull();
  await expect(fake.setVariable(CONTRACT_GROUP.project, CONTRACT_GROUP.name, 'X', 'y')).rejects.toBe(throttled);
  expect((await fake.list(CONTRACT_GROUP.project, CONTRACT_GROUP.name))!.variables).toHaveLength(2);
  expect((await fake.setVariable(CONTRACT_GROUP.project, CONTRACT_GROUP.name, 'X', 'y')).variableCreated).toBe(true);
  expect(fake.calls.map((c) => c.method)).toEqual(['list', 'setVariable', 'list', 'setVariable']);
});
