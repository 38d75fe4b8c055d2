/** Maven on the hosted agent's JDK 21: Surefire writes JUnit XML, OWASP Dependency-Check audits. */
import { commented } from '../yaml-builder';
import type { StackSteps } from './step.types';

export const javaSpringBootSteps = (): StackSteps => ({
  setup: [
    {
      task: 'JavaToolInstaller@0',
      displayName: 'Use JDK 21',
      inputs: { versionSpec: '21', jdkArchitectureOption: 'x64', jdkSourceOption: 'PreInstalled' },
    },
  ],
  buildAndTest: [{ script: 'mvn -B -ntp verify', displayName: 'Build and unit tests (Maven)' }],
  testResultsFiles: '**/target/surefire-reports/TEST-*.xml',
  dependencyAudit: [
    commented('Downloads the NVD database on first use; an NVD API key (-DnvdApiKey) makes it much faster.', {
      script: 'mvn -B -ntp org.owasp:dependency-check-maven:check -DfailBuildOnCVSS=7',
      displayName: 'Dependency audit (OWASP Dependency-Check)',
    }),
  ],
});
