// One lint config for the whole workspace. Besides style, it enforces the layering of the
// brief: domain has no drivers, use cases depend on ports only, and inversify stays in
// module files and app composition roots.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const drivers = ['typeorm', 'pg', 'mongodb', 'kafkajs', 'ioredis', 'express', 'ws', 'sql.js', 'pino', 'prom-client'];
const driverPatterns = drivers.flatMap((name) => [name, `${name}/*`]);
const inversify = ['inversify', 'inversify/*', '@inversifyjs/*'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', { patterns: [{ group: inversify, message: 'inversify belongs in *.module.ts files and app composition roots.' }] }],
    },
  },
  {
    files: ['packages/domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [...driverPatterns, ...inversify, '@sd/*', '!@sd/domain'], message: 'The domain package holds entities, ports, tokens and errors only.' },
      ] }],
    },
  },
  {
    files: ['packages/*/src/usecase/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [...driverPatterns, ...inversify], message: 'A use case depends on ports, never on a driver.' },
        { group: ['**/repository/**', '**/delivery/**', '@sd/mq', '@sd/mq/*', '@sd/orm', '@sd/orm/*', '@sd/mongo', '@sd/mongo/*', '@sd/cache/*', '@sd/ratelimit/*', '@sd/http/*'], message: 'A use case must not reach adapters or delivery.' },
      ] }],
    },
  },
  {
    // The exchange's rooms: the deterministic core knows nothing around it; the write and the
    // read side meet only in the core and the domain ports, never in each other.
    files: ['packages/exchange/src/usecase/core/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [...driverPatterns, ...inversify, '**/repository/**', '**/delivery/**', '**/usecase/write/**', '**/usecase/read/**', '../write/*', '../read/*', '../../write/*', '../../read/*', '../../write/**', '../../read/**'], message: 'The core is deterministic and knows neither the write side, the read side, adapters nor delivery.' },
      ] }],
    },
  },
  {
    files: ['packages/exchange/src/usecase/write/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [...driverPatterns, ...inversify, '**/repository/**', '**/delivery/**', '../read/**', '../../read/**'], message: 'The write side depends on the core and ports, not on the read side, adapters or delivery.' },
      ] }],
    },
  },
  {
    files: ['packages/exchange/src/usecase/read/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [...driverPatterns, ...inversify, '**/repository/**', '**/delivery/**', '../write/**', '../../write/**'], message: 'The read side depends on the core and ports, not on the write side, adapters or delivery.' },
      ] }],
    },
  },
  {
    // The sandbox (demo market, market replay) trades as a user does: through the write side's use cases.
    files: ['packages/exchange/src/usecase/sandbox/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [...driverPatterns, ...inversify, '**/repository/**', '**/delivery/**', '../read/**', '../../read/**'], message: 'The sandbox depends on the core, the write side and ports, not on the read side, adapters or delivery.' },
      ] }],
    },
  },
  {
    files: ['packages/*/src/repository/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/delivery/**', ...inversify], message: 'Repositories do not know delivery or the container.' },
      ] }],
    },
  },
  {
    files: ['packages/*/src/delivery/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/repository/**', ...inversify], message: 'Delivery talks to use cases, not repositories or the container.' },
      ] }],
    },
  },
  {
    // kit/app builds the app containers.
    files: ['**/*.module.ts', 'apps/*/src/**/*.ts', 'kit/app/src/**/*.ts', '**/*.spec.ts', '**/*.int-spec.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
