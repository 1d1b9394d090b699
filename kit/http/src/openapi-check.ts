import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import type { OpenApiDocument, OpenApiOperation } from './openapi';

interface Operation {
  method: string;
  pattern: RegExp;
  path: string;
  responses: OpenApiOperation['responses'];
}

/**
 * Checks answers against an OpenAPI 3.1 document: the request names a documented operation,
 * the status is one it declares (or its `default`), and the JSON body matches that
 * response's schema. An unrouted request may only be refused, with the error shape.
 */
export class OpenApiResponseChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly operations: Operation[] = [];
  private readonly mountPath: string;
  private readonly components: Record<string, object>;
  private readonly validators = new Map<object, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    this.mountPath = ((document.servers as Array<{ url: string }> | undefined)?.[0]?.url ?? '').replace(/\/$/, '');
    this.components = ((document.components as { schemas?: Record<string, object> } | undefined)?.schemas ?? {});
    for (const [path, methods] of Object.entries(document.paths)) {
      const segments = path.split('/').map((segment) => (/^\{\w+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&')));
      const pattern = new RegExp(`^${segments.join('/')}/?$`);
      for (const [method, operation] of Object.entries(methods)) this.operations.push({ method: method.toUpperCase(), pattern, path, responses: operation.responses });
    }
  }

  /** Null when the answer is as documented, else why not. */
  check(method: string, url: string, status: number, text: string): string | null {
    const path = url.split('?')[0]!;
    const relative = path.startsWith(`${this.mountPath}/`) ? path.slice(this.mountPath.length) : null;
    const operation = relative === null ? undefined : this.operations.find((op) => op.method === method && op.pattern.test(relative));
    if (operation === undefined) {
      if (status < 400) return `${method} ${path} answered ${status} but the document has no such operation`;
      return this.matches(this.components.Error ?? {}, text, 'the error shape');
    }
    const response = operation.responses[String(status)] ?? (status >= 300 && status !== 304 ? operation.responses.default : undefined);
    if (response === undefined) return `${method} ${operation.path} answered ${status}, which it does not declare`;
    const schema = response.content?.['application/json']?.schema;
    if (schema === undefined) return text === '' ? null : `${method} ${operation.path} ${status} has a body its document does not declare`;
    return this.matches(schema, text, `${method} ${operation.path} ${status}`);
  }

  private matches(schema: object, text: string, what: string): string | null {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return `${what}: the body is not JSON: ${text.slice(0, 80)}`;
    }
    let validate = this.validators.get(schema);
    if (validate === undefined) {
      validate = this.ajv.compile(this.resolved(schema) as object);
      this.validators.set(schema, validate);
    }
    if (validate(body)) return null;
    const why = validate.errors!.map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`).join('; ');
    return `${what}: ${why} in ${text.slice(0, 200)}`;
  }

  /** The schema with `#/components/schemas/...` references inlined. */
  private resolved(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((item) => this.resolved(item));
    if (typeof node !== 'object' || node === null) return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) return this.resolved(this.components[ref.slice('#/components/schemas/'.length)]);
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, this.resolved(value)]));
  }
}
