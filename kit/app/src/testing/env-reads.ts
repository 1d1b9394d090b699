import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** What a scan found: the variables read, and the places it could not follow (each one a failure). */
export interface EnvReads {
  variables: Set<string>;
  /** `file:line: why`, for an env read the scan cannot name (a computed key, env handed to a library). */
  unresolved: string[];
}

/** Where to start: a function of a workspace source file (an app's config reader). */
export interface EnvEntry {
  file: string;
  exportedFunction: string;
}

/**
 * Which environment variables a function reads, found from the TypeScript source by following
 * the calls it makes into every workspace package (resolved to their `src`, not their `dist`).
 * A read is `env.NAME`, `env['NAME']`, `'NAME' in env` or `{ NAME } = env`, where `env` is a
 * `NodeJS.ProcessEnv` by type or was passed one as an argument. A key that is a parameter is
 * resolved from the string literal each call site passes (so `required(env, 'REDIS_URL')`
 * counts). Anything else the scan cannot name, such as a computed key or `env` passed to a
 * function outside the workspace, is reported as unresolved rather than skipped.
 */
export function scanEnvReads(workspaceRoot: string, entries: readonly EnvEntry[]): Map<EnvEntry, EnvReads> {
  const packages = workspacePackages(workspaceRoot);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    experimentalDecorators: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options, true);
  host.getCurrentDirectory = () => workspaceRoot;
  host.resolveModuleNames = (names, containingFile) =>
    names.map((name) => {
      const source = workspaceSource(packages, name);
      if (source !== undefined) return { resolvedFileName: source, extension: ts.Extension.Ts, isExternalLibraryImport: false };
      return ts.resolveModuleName(name, containingFile, options, host).resolvedModule;
    });
  const program = ts.createProgram(
    entries.map((entry) => entry.file),
    options,
    host,
  );
  const checker = program.getTypeChecker();
  const results = new Map<EnvEntry, EnvReads>();
  for (const entry of entries) {
    const source = program.getSourceFile(entry.file);
    const declaration = source?.statements.find(
      (statement): statement is ts.FunctionDeclaration => ts.isFunctionDeclaration(statement) && statement.name?.text === entry.exportedFunction && statement.body !== undefined,
    );
    if (declaration === undefined) throw new Error(`${entry.file} has no function ${entry.exportedFunction}`);
    const reads: EnvReads = { variables: new Set(), unresolved: [] };
    new Scan(checker, workspaceRoot, reads).function(declaration, new Map(), new Set());
    results.set(entry, reads);
  }
  return results;
}

class Scan {
  /** Each function once per way of calling it (which parameters carry env, which carry literals). */
  private readonly visited = new Set<string>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly root: string,
    private readonly reads: EnvReads,
  ) {}

  function(declaration: ts.SignatureDeclaration, literals: Map<ts.Symbol, string>, envParameters: Set<ts.Symbol>): void {
    const body = (declaration as ts.FunctionLikeDeclaration).body;
    if (body === undefined) return;
    const key = `${declaration.getSourceFile().fileName}:${declaration.pos}:${[...envParameters].map((s) => s.name).join(',')}:${[...literals].map(([s, v]) => `${s.name}=${v}`).join(',')}`;
    if (this.visited.has(key)) return;
    this.visited.add(key);
    const visit = (node: ts.Node): void => {
      if (ts.isTypeNode(node)) return; // types read nothing
      this.node(node, literals, envParameters);
      ts.forEachChild(node, visit);
    };
    visit(body);
  }

  private node(node: ts.Node, literals: Map<ts.Symbol, string>, envParameters: Set<ts.Symbol>): void {
    const isEnv = (expression: ts.Expression): boolean => this.isEnv(expression, envParameters);
    const keyOf = (expression: ts.Expression): string | undefined => this.literal(expression, literals);
    if (ts.isPropertyAccessExpression(node) && isEnv(node.expression)) return void this.reads.variables.add(node.name.text);
    if (ts.isElementAccessExpression(node) && isEnv(node.expression)) return this.read(keyOf(node.argumentExpression), node, 'a computed key');
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword && isEnv(node.right)) return this.read(keyOf(node.left), node, 'a computed key');
    if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer && isEnv(node.initializer)) {
      for (const element of node.name.elements) {
        const name = element.propertyName ?? element.name;
        this.read(element.dotDotDotToken === undefined && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined, element, 'a rest or computed binding');
      }
      return;
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) return this.call(node, literals, envParameters);
    // Any other use of env (stored in an object, returned, aliased untyped) hides what reads it.
    if (this.isReference(node) && isEnv(node) && !this.isReadOrArgument(node)) this.unresolved(node, `env used in ${ts.SyntaxKind[node.parent.kind]}`);
  }

  private call(call: ts.CallExpression | ts.NewExpression, literals: Map<ts.Symbol, string>, envParameters: Set<ts.Symbol>): void {
    const args = call.arguments ?? ts.factory.createNodeArray();
    const passesEnv = args.some((arg) => this.isEnv(arg, envParameters));
    const declaration = this.implementation(this.checker.getResolvedSignature(call)?.getDeclaration());
    if (declaration === undefined || !this.inWorkspace(declaration)) {
      if (passesEnv) this.unresolved(call, `env passed to ${call.expression.getText()}, outside the workspace`);
      return;
    }
    const calleeLiterals = new Map<ts.Symbol, string>();
    const calleeEnv = new Set<ts.Symbol>();
    declaration.parameters.forEach((parameter, i) => {
      const arg = args[i];
      const symbol = ts.isIdentifier(parameter.name) ? this.checker.getSymbolAtLocation(parameter.name) : undefined;
      if (arg === undefined || symbol === undefined) {
        if (arg !== undefined && this.isEnv(arg, envParameters)) this.unresolved(arg, 'env passed to a destructured parameter');
        return;
      }
      if (this.isEnv(arg, envParameters)) calleeEnv.add(symbol);
      const value = this.literal(arg, literals);
      if (value !== undefined) calleeLiterals.set(symbol, value);
    });
    this.function(declaration, calleeLiterals, calleeEnv);
  }

  private read(name: string | undefined, node: ts.Node, what: string): void {
    if (name === undefined) this.unresolved(node, `env read by ${what}`);
    else this.reads.variables.add(name);
  }

  private isEnv(expression: ts.Expression, envParameters: Set<ts.Symbol>): boolean {
    const inner = unwrap(expression);
    if (ts.isIdentifier(inner)) {
      const symbol = this.checker.getSymbolAtLocation(inner);
      if (symbol !== undefined && envParameters.has(symbol)) return true;
    }
    const type = this.checker.getTypeAtLocation(inner);
    return (type.aliasSymbol ?? type.getSymbol())?.getName() === 'ProcessEnv';
  }

  /** `env` or `process.env` as a value, not a declared name or a property's name. */
  private isReference(node: ts.Node): node is ts.Expression {
    if (ts.isPropertyAccessExpression(node)) return true;
    if (!ts.isIdentifier(node)) return false;
    const parent = node.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
    return !((ts.isParameter(parent) || ts.isVariableDeclaration(parent) || ts.isBindingElement(parent) || ts.isFunctionDeclaration(parent)) && parent.name === node);
  }

  /** Where env may appear without hiding a read: the object of a read, or an argument the scan follows. */
  private isReadOrArgument(node: ts.Expression): boolean {
    let child: ts.Node = node;
    let parent = node.parent;
    while (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent)) {
      child = parent;
      parent = parent.parent;
    }
    if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === child) return true;
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.InKeyword && parent.right === child) return true;
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(child as ts.Expression)) return true;
    return ts.isVariableDeclaration(parent) && ts.isObjectBindingPattern(parent.name);
  }

  /** A string the expression always is: a literal, or a parameter every path here was given one for. */
  private literal(expression: ts.Expression, literals: Map<ts.Symbol, string>): string | undefined {
    const inner = unwrap(expression);
    if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) return inner.text;
    if (ts.isIdentifier(inner)) {
      const symbol = this.checker.getSymbolAtLocation(inner);
      return symbol === undefined ? undefined : literals.get(symbol);
    }
    return undefined;
  }

  /** The declaration with a body: an overloaded function's implementation. */
  private implementation(declaration: ts.Declaration | undefined): ts.SignatureDeclaration | undefined {
    if (declaration === undefined || !ts.isFunctionLike(declaration)) return undefined;
    if ((declaration as ts.FunctionLikeDeclaration).body !== undefined) return declaration;
    const symbol = declaration.name === undefined ? undefined : this.checker.getSymbolAtLocation(declaration.name);
    return symbol?.declarations?.find((d): d is ts.FunctionLikeDeclaration => ts.isFunctionLike(d) && (d as ts.FunctionLikeDeclaration).body !== undefined);
  }

  private inWorkspace(declaration: ts.Node): boolean {
    const file = declaration.getSourceFile();
    return !file.isDeclarationFile && !relative(this.root, file.fileName).startsWith('..') && !file.fileName.includes('/node_modules/');
  }

  private unresolved(node: ts.Node, why: string): void {
    const file = node.getSourceFile();
    const { line } = file.getLineAndCharacterOfPosition(node.getStart());
    this.reads.unresolved.push(`${relative(this.root, file.fileName)}:${line + 1}: ${why}`);
  }
}

/** The expression inside parentheses, `as`, `satisfies` and `!`. */
function unwrap(expression: ts.Expression): ts.Expression {
  let inner = expression;
  while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || ts.isSatisfiesExpression(inner) || ts.isNonNullExpression(inner) || ts.isTypeAssertionExpression(inner)) {
    inner = inner.expression;
  }
  return inner;
}

interface WorkspacePackage {
  dir: string;
  exports: Record<string, { types?: string } | string>;
}

/** Every workspace package by name, from the directories pnpm-workspace.yaml lists. */
function workspacePackages(root: string): Map<string, WorkspacePackage> {
  const packages = new Map<string, WorkspacePackage>();
  for (const group of ['apps', 'packages', 'kit', 'instrumenting']) {
    if (!existsSync(join(root, group))) continue;
    for (const name of readdirSync(join(root, group))) {
      const manifest = join(root, group, name, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; exports?: WorkspacePackage['exports'] };
      packages.set(pkg.name, { dir: dirname(manifest), exports: pkg.exports ?? {} });
    }
  }
  return packages;
}

/** `@sd/app/env` -> kit/app/src/env.ts: the source behind the `types` its package exports. */
function workspaceSource(packages: Map<string, WorkspacePackage>, specifier: string): string | undefined {
  const match = /^(@sd\/[^/]+)(?:\/(.+))?$/.exec(specifier);
  const pkg = match && packages.get(match[1]!);
  if (!match || !pkg) return undefined;
  const subpath = `./${match[2] ?? ''}`.replace(/\/$/, '');
  for (const [pattern, target] of Object.entries(pkg.exports)) {
    const types = typeof target === 'string' ? target : target.types;
    if (types === undefined) continue;
    const star = pattern.indexOf('*');
    let resolved: string | undefined;
    if (star < 0 && pattern === subpath) resolved = types;
    else if (star >= 0 && subpath.startsWith(pattern.slice(0, star)) && subpath.endsWith(pattern.slice(star + 1))) {
      resolved = types.replace('*', subpath.slice(star, subpath.length - (pattern.length - star - 1)));
    }
    if (resolved === undefined) continue;
    const source = resolve(pkg.dir, resolved.replace(/^\.\/dist\//, './src/').replace(/\.d\.ts$/, '.ts'));
    if (existsSync(source)) return source;
    const index = source.replace(/\.ts$/, '/index.ts');
    if (existsSync(index)) return index;
  }
  return undefined;
}

/** The variables a markdown document lists for one app: the backticked first cells of the table under the heading naming `appDir`. */
export function documentedVariables(markdown: string, appDir: string): Set<string> {
  const sections = markdown.split(/^## /m);
  const section = sections.find((text) => text.split('\n', 1)[0]!.includes(`(\`${appDir}\`)`));
  if (section === undefined) throw new Error(`no section for ${appDir}`);
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    const cell = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/.exec(line);
    if (cell) names.add(cell[1]!);
  }
  return names;
}

export interface ConfigurationDrift {
  /** Read by the app, missing from its table. */
  undocumented: string[];
  /** In its table, read no more. */
  stale: string[];
  /** Reads the scan cannot name (see `scanEnvReads`). */
  unresolved: string[];
}

/**
 * What an app's config reader (`apps/<app>/src/config.ts`, the function `reader`) reads
 * against its table in docs/configuration.md. `unreachable` names variables the scan finds
 * but the app refuses before reading them (the spec that passes it shows the refusal).
 */
export function configurationDrift(options: { root: string; appDir: string; reader: string; unreachable?: readonly string[] }): ConfigurationDrift {
  const entry = { file: join(options.root, options.appDir, 'src/config.ts'), exportedFunction: options.reader };
  const reads = scanEnvReads(options.root, [entry]).get(entry)!;
  const read = [...reads.variables].filter((name) => !options.unreachable?.includes(name));
  const documented = documentedVariables(readFileSync(join(options.root, 'docs/configuration.md'), 'utf8'), options.appDir);
  return {
    undocumented: read.filter((name) => !documented.has(name)).sort(),
    stale: [...documented].filter((name) => !read.includes(name)).sort(),
    unresolved: reads.unresolved,
  };
}
