/** Where a secret variable is linked, or why it cannot be, in words. */
import { pipelineLinkFor, secretsGroupName } from '../../src/domain/secrets/pipeline-link';
import { parseSecretText } from '../../src/domain/secrets/secret-request';

const svc = { name: 'payments-api', repository: { project: 'Payments' } };

describe('pipelineLinkFor', () => {
  it("links into vg-<service>-<env>-secrets in the repository's project, read by Deploy_<env>, the variable named after the secret", () => {
    expect(pipelineLinkFor(svc, 'dev', 'payments-api--dev--db-password', {})).toEqual({ link: { project: 'Payments', group: 'vg-payments-api-dev-secrets', stage: 'Deploy_dev', variable: 'payments-api--dev--db-password' } });
    expect(secretsGroupName('payments-api', 'prod', 'grp-')).toBe('grp-payments-api-prod-secrets');
  });

  it.each([
    ['no Azure DevOps configured', svc, 'payments-api--dev--x', undefined, 'need Azure DevOps'],
    ['no repository', { name: 'legacy' }, 'legacy--dev--x', {}, 'legacy has no Azure DevOps repository'],
    ['a name tasks never see', svc, 'secret--dev--x', {}, 'begins with "secret"'],
  ])('refuses with the reason: %s', (_, service, name, settings, reason) => {
    const out = pipelineLinkFor(service, 'dev', name, settings);
    expect('reason' in out && out.reason).toContain(reason);
  });
});

describe('create secret ... pipeline=yes', () => {
  const COMMAND = /^\s*create\s+secret\b/i;
  it('marks the request as a pipeline variable; anything but yes/true/link is refused in words', () => {
    expect(parseSecretText('create secret service=payments-api env=dev name=db-password pipeline=yes', COMMAND)).toEqual({ values: { service: 'payments-api', env: 'dev', name: 'db-password', pipeline: 'yes' }, problems: [] });
    expect(parseSecretText('create secret name=x variable=LINK', COMMAND).values.pipeline).toBe('yes');
    expect(parseSecretText('create secret name=x pipeline=maybe', COMMAND).problems).toEqual(['pipeline= takes "yes" (link the secret into the pipeline\'s Key Vault variable group)']);
  });
});
