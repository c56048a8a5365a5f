/** Three tiers, each a jest project: pure unit tests, tests against the real local services, CDK assertions. */
const transform = { '^.+\\.ts$': ['ts-jest', {}] };
const common = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  // Integration tests boot real services and CDK tests bundle functions: both need more than 5 s.
  testTimeout: 60000,
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
