/** Unit specs live beside the code; e2e specs under test/. Both hit real services. */
const transform = {
  '^.+\\.(t|j)s$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    },
  ],
};
// Nest 12 ships ESM only; Jest's CJS VM must transform it.
const transformIgnorePatterns = ['/node_modules/(?!@nestjs/)'];
const common = { testEnvironment: 'node', transform, transformIgnorePatterns };
module.exports = {
  // e2e suites start real processes (hub, redis-server); unit specs finish far below this.
  testTimeout: 180_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,agent}/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
