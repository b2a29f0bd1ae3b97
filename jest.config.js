// Unit tests sit beside the code (src/.../*.spec.ts); e2e tests boot the real app (test/e2e).
const transform = {
  '^.+\\.ts$': [
    'ts-jest',
    {
      tsconfig: 'tsconfig.json',
      // node16 module resolution (needed for package `exports`) emits CommonJS here; that is fine.
      diagnostics: { ignoreCodes: [151002] },
      astTransformers: { before: ['<rootDir>/test/support/swagger-plugin.transformer.js'] },
    },
  ],
};

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      transform,
    },
  ],
  testTimeout: 60_000,
};
