/**
 * Static analysis with one tool for every stack (Semgrep's registry rules for the language),
 * so the Scan stage reads the same in every repository. Installed with pip on a tool-cache
 * Python: the hosted Ubuntu images refuse `pip install` into the system Python.
 */
import type { Stack } from '../pipelines.types';
import type { Step } from './step.types';

const RULESETS: Record<Stack, string> = { 'java-spring-boot': 'p/java', node: 'p/javascript', python: 'p/python' };

export const staticAnalysisSteps = (stack: Stack): Step[] => [
  { task: 'UsePythonVersion@0', displayName: 'Use Python 3.12', inputs: { versionSpec: '3.12' } },
  {
    script: `python -m pip install semgrep\nsemgrep scan --config p/default --config ${RULESETS[stack]} --error --metrics=off`,
    displayName: 'Static analysis (Semgrep)',
  },
];
