/** Three tiers, each a jest project: pure unit tests, tests against the real local services, CDK assertions. */
const transform = { '^.+\\.ts$': ['ts-jest', {}] };
const common = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };

// Quiet by default; run with POWERTOOLS_LOG_LEVEL=DEBUG to see the functions' logs.
process.env.POWERTOOLS_LOG_LEVEL ??= 'CRITICAL';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

module.exports = {
  // Integration tests boot real services and CDK tests bundle functions: both need more than 5 s.
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/support/globalSetup.ts',
      globalTeardown: '<rootDir>/test/integration/support/globalTeardown.ts',
    },
    { ...common, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
  ],
};
