// @ts-check
/**
 * Two projects: `unit` (*.spec.ts beside the code, no servers) and
 * `integration` (*.int-spec.ts, against the real servers libs/testing starts once per run).
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/** The web console's TSX: React's automatic runtime, in jsdom. */
const swcReact = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@warden/service-(.*)$': '<rootDir>/services/$1/src',
    '^@warden/(contracts|platform|testing)$': '<rootDir>/libs/$1/src',
  },
  setupFiles: ['<rootDir>/jest.setup.ts'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/.cache/'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60_000,
  // One test file at a time: integration files start in-process copies of a
  // service that join its NATS queue group on the run's one nats-server, so
  // two files in parallel would answer each other's requests. (On these 2-core
  // machines jest would use one worker anyway.)
  maxWorkers: 1,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,tools}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'console',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/apps/console/src/**/*.spec.{ts,tsx}'],
      transform: { '^.+\\.(ts|tsx)$': swcReact },
      moduleNameMapper: {
        ...shared.moduleNameMapper,
        '\\.css$': '<rootDir>/apps/console/test/style-stub.js',
      },
      setupFiles: ['<rootDir>/apps/console/test/jsdom-setup.js'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services,tests}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
    },
  ],
};
