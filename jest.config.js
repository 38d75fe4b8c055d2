/** Jest projects: unit (fast, in-memory fakes), integration (real SDK clients against stand-ins,
 * real store), e2e (the whole bot over HTTP). One embedded store serves the run (global setup). */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] };
const moduleNameMapper = {
  // The package's "main" is extensionless ESM that Node 20 cannot require; its UMD bundle works.
  '^adaptivecards$': '<rootDir>/node_modules/adaptivecards/dist/adaptivecards.js',
  // ESM-only dependency of @microsoft/app-manifest: a CommonJS copy of its one function.
  '^strip-bom$': '<rootDir>/test/helpers/strip-bom.cjs.js',
};
const common = { transform, moduleNameMapper, testEnvironment: 'node', setupFiles: ['<rootDir>/test/helpers/jest-env.ts'] };

module.exports = {
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/contracts/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.int.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'] },
    // The playground in Debian's chromium, driven by playwright-core: cards clicked as a person would.
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser.test.ts'] },
  ],
};
