import { resolve } from 'node:path';
import { documentedVariables, scanEnvReads } from './env-reads';

const fixtures = resolve(__dirname, '../../test-fixtures/env-reads');
const scan = (exportedFunction: string): ReturnType<typeof scanEnvReads> extends Map<unknown, infer R> ? R : never => {
  const entry = { file: resolve(fixtures, 'config.ts'), exportedFunction };
  return scanEnvReads(fixtures, [entry]).get(entry)!;
};

describe('scanEnvReads', () => {
  it('finds reads through helpers, literal keys, destructuring, untyped parameters, process.env and overloads', () => {
    const { variables, unresolved } = scan('readsEverything');
    expect([...variables].sort()).toEqual([
      'BRACKET', 'DESTRUCTURED', 'DIRECT', 'FROM_PROCESS', 'LOG_LEVEL', 'OVERLOADED', 'PRESENT', 'RENAMED', 'REQUIRED_URL', 'UNTYPED',
    ]);
    expect(unresolved).toEqual([]);
  }, 60_000);

  it('reports what it cannot name instead of passing it over', () => {
    const { variables, unresolved } = scan('hidesReads');
    expect([...variables]).toEqual([]);
    expect(unresolved).toEqual([
      'config.ts:19: env passed to Object.keys, outside the workspace',
      'config.ts:20: env used in ShorthandPropertyAssignment',
      'config.ts:21: env read by a computed key',
    ]);
  }, 60_000);
});

describe('documentedVariables', () => {
  it("reads the first column of the table under the app's heading only", () => {
    const markdown = ['# Configuration', '## one (`apps/one`)', '| variable | default |', '| --- | --- |', '| `PORT` | `1` |', '| `HOST` | x |', '## two (`apps/two`)', '| `OTHER` | y |'].join('\n');
    expect([...documentedVariables(markdown, 'apps/one')]).toEqual(['PORT', 'HOST']);
    expect(() => documentedVariables(markdown, 'apps/three')).toThrow('no section for apps/three');
  });
});
