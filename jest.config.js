/** Three tiers, each a jest project: pure unit tests, tests against the real local services, CDK assertions. */
const transform = { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] };
const common = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/support/globalSetup.ts',
      globalTeardown: '<rootDir>/test/integration/support/globalTeardown.ts',
      testTimeout: 60000,
    },
    { ...common, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'], testTimeout: 120000 },
  ],
};
