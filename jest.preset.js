// Shared Jest setup for every workspace package.
// swc compiles TypeScript per file with legacy decorators and emitted metadata, which
// typeorm entities need; ts-jest is avoided because it lags TypeScript releases.
const path = require('node:path');

const swcTransform = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

// CI runs the suites of every package side by side on two cores, so a test may take several
// times as long as it does alone; the timeouts still catch a hang.
const UNIT_TIMEOUT_MS = Number(process.env.UNIT_TIMEOUT_MS ?? 20_000);
// Integration suites wait on real services (group joins, consumer rebalances).
const INTEGRATION_TIMEOUT_MS = Number(process.env.INTEGRATION_TIMEOUT_MS ?? 60_000);

function project(rootDir, displayName, testMatch, testTimeoutMs, extra) {
  return {
    displayName,
    rootDir,
    testEnvironment: 'node',
    testMatch,
    transform: { '^.+\\.(t|j|mj)sx?$': swcTransform },
    // inversify 8 ships ESM only; Jest loads ESM from CommonJS tests only under Node's
    // experimental --experimental-vm-modules (even on Node 24), so it is transformed instead.
    // The OTLP exporter loads `http` with import(), which that sandbox refuses untransformed too.
    transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/)?(inversify|@inversifyjs|@opentelemetry[+/]otlp-exporter-base))'],
    setupFiles: [path.join(__dirname, 'jest.setup.js')],
    setupFilesAfterEnv: [path.join(__dirname, 'jest.timeout-setup.js')],
    ...extra,
    globals: { testTimeoutMs, ...extra?.globals },
  };
}

/**
 * Unit specs (`*.spec.ts`, no I/O) and integration specs (`*.int-spec.ts`) that talk to the
 * real services named in `services` (see @sd/testing/services).
 */
module.exports = function jestConfig(rootDir, { services = [] } = {}) {
  const resolveTesting = (file) => require.resolve(`@sd/testing/${file}`, { paths: [rootDir] });
  return {
    projects: [
      project(rootDir, 'unit', ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'], UNIT_TIMEOUT_MS, {}),
      project(rootDir, 'integration', ['<rootDir>/src/**/*.int-spec.ts', '<rootDir>/test/**/*.int-spec.ts'], INTEGRATION_TIMEOUT_MS, {
        globals: { services },
        ...(services.length > 0 && {
          globalSetup: resolveTesting('global-setup'),
          globalTeardown: resolveTesting('global-teardown'),
        }),
      }),
    ],
  };
};
