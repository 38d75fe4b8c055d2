/** npm on Node 22: the node:test JUnit reporter via `npm run test:ci`, `npm audit` for dependencies. */
import { commented } from '../yaml-builder';
import type { StackSteps } from './step.types';

const useNode = { task: 'NodeTool@0', displayName: 'Use Node.js 22', inputs: { versionSpec: '22.x' } };

export const nodeSteps = (): StackSteps => ({
  setup: [useNode],
  buildAndTest: [
    { script: 'npm ci', displayName: 'Install dependencies' },
    { script: 'npm run build --if-present', displayName: 'Build' },
    commented('Contract: `npm run test:ci` writes JUnit XML under test-results/ (the skeleton package.json has it).', {
      script: 'npm run test:ci',
      displayName: 'Unit tests',
    }),
  ],
  testResultsFiles: 'test-results/**/*.xml',
  dependencyAudit: [{ script: 'npm audit --audit-level=high', displayName: 'Dependency audit (npm audit)' }],
});
