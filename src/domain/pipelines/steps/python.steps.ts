/** pip on Python 3.12: pytest (which also runs unittest tests) writes JUnit XML, pip-audit audits. */
import type { StackSteps } from './step.types';

/** Installs the project whichever way it declares its dependencies. */
const INSTALL = [
  'python -m pip install --upgrade pip',
  'if [ -f requirements.txt ]; then pip install -r requirements.txt; fi',
  'if [ -f pyproject.toml ] || [ -f setup.py ]; then pip install -e .; fi',
].join('\n');

export const pythonSteps = (): StackSteps => ({
  setup: [{ task: 'UsePythonVersion@0', displayName: 'Use Python 3.12', inputs: { versionSpec: '3.12' } }],
  buildAndTest: [
    { script: INSTALL, displayName: 'Install the project' },
    { script: 'pip install pytest\npython -m pytest --junitxml=test-results/junit.xml', displayName: 'Unit tests (pytest)' },
  ],
  testResultsFiles: 'test-results/*.xml',
  dependencyAudit: [
    { script: INSTALL, displayName: 'Install the project' },
    { script: 'pip install pip-audit\npip-audit', displayName: 'Dependency audit (pip-audit)' },
  ],
});
