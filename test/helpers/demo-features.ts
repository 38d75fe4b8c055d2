/**
 * Every feature main.ts can list, built over services that are never called: for tests that need
 * the whole command table or every card verb without a running bot.
 */
import { addPipelineFeature } from '../../dialogs/add-pipeline/add-pipeline.feature';
import { catalogFeature } from '../../dialogs/catalog/catalog.feature';
import { catalogHealthFeature } from '../../dialogs/catalog-health/catalog-health.feature';
import { approvalsFeature } from '../../dialogs/approvals/approvals.feature';
import { catalogDigestFeature } from '../../dialogs/catalog-digest/catalog-digest.feature';
import { ruleInfo } from '../../src/domain/catalog-health/health-rules';
import { createRepoFeature } from '../../dialogs/create-repo/create-repo.feature';
import { feedbackFeature } from '../../dialogs/feedback/feedback.feature';
import { jobsFeature } from '../../dialogs/common/jobs.feature';
import { offboardingJobPresentation, onboardingFeature, onboardingJobPresentation } from '../../dialogs/onboarding/onboarding.feature';
import { createSecretJobPresentation, secretsFeature } from '../../dialogs/secrets/secrets.feature';
import { rotateSecretJobPresentation, secretLifecycleFeature } from '../../dialogs/secrets/secret-lifecycle.feature';
import { secretExpiryFeature } from '../../dialogs/secrets/secret-expiry.feature';
import { pipelineVariablesFeature } from '../../dialogs/secrets/pipeline-variables.feature';
import type { Feature } from '../../src/bot/feature';
import { JobPresentations } from '../../src/bot/job-presentation';

const unused = <T>(): T => new Proxy({}, { get: () => () => { throw new Error('not used in this test'); } }) as T;

export function demoFeatures(): Feature[] {
  const flows = [
    catalogHealthFeature({ reports: unused(), nextRunAt: () => new Date(0) }),
    catalogFeature({ query: unused(), revision: () => 0, linkHosts: [] }),
    feedbackFeature(unused()),
    createRepoFeature(unused()),
    addPipelineFeature(unused()),
    catalogDigestFeature({ digest: unused(), actions: unused(), rules: ruleInfo, linkHosts: [] }),
    approvalsFeature({
      approvals: unused(),
      conversations: unused(),
      followUpJobs: [
        { flow: 'onboarding', presentation: onboardingJobPresentation(unused()), jobOf: unused() },
        { flow: 'offboarding', presentation: offboardingJobPresentation(unused()), jobOf: unused() },
        { flow: 'secret', presentation: createSecretJobPresentation(unused()), jobOf: unused() },
        { flow: 'secret-rotation', presentation: rotateSecretJobPresentation(unused()), jobOf: unused() },
      ],
    }),
    secretsFeature({ secrets: unused(), approvalCard: unused(), jobCard: unused() }),
    secretLifecycleFeature({ lifecycle: unused(), approvalCard: unused(), jobCard: unused() }),
    secretExpiryFeature({ expiry: { rotationAvailable: true } as never }),
    pipelineVariablesFeature({ variables: unused(), secrets: unused() }),
    onboardingFeature({ onboarding: unused(), offboarding: unused(), choices: () => ({ roles: [] }), approvalCard: unused(), pickers: unused(), welcome: unused() }),
  ];
  return [...flows, jobsFeature(new JobPresentations(flows.flatMap((f) => f.jobs ?? [])), unused())];
}
