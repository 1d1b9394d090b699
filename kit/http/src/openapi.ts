import type { TObject, TSchema } from '@sinclair/typebox';
import type { ApiRoute } from './api-route';

export interface OpenApiOptions {
  title: string;
  version: string;
  description?: string;
  /** Where the API is mounted (`/api`): the document's server URL. */
  mountPath: string;
  routes: readonly ApiRoute[];
  security?: OpenApiSecurity;
}

/** The security schemes, and the alternatives (any one suffices) a signed-in route accepts. */
export interface OpenApiSecurity {
  schemes: Record<string, object>;
  signedIn: ReadonlyArray<Record<string, string[]>>;
}

export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, OpenApiOperation>> };

export interface OpenApiOperation {
  operationId: string;
  responses: Record<string, { description: string; content?: Record<string, { schema: object }> }>;
  [field: string]: unknown;
}

/** Every refusal and failure: `{message, code}` (Coinbase's shape, plus a stable code). */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['message', 'code'],
  properties: {
    message: { type: 'string', description: 'for people' },
    code: { type: 'string', description: 'stable, namespaced: EXCHANGE.INSUFFICIENT_FUNDS, VALIDATION.INVALID_INPUT, ...' },
  },
};

/** The OpenAPI 3.1 document of an API, generated from its route table: the contract both lanes serve. */
export function openApiDocument(options: OpenApiOptions): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of options.routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route, options);
  }
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version, ...(options.description ? { description: options.description } : {}) },
    servers: [{ url: options.mountPath }],
    paths,
    components: { schemas: { Error: ERROR_SCHEMA }, securitySchemes: options.security?.schemes ?? {} },
  };
}

function operation(route: ApiRoute, options: OpenApiOptions): OpenApiOperation {
  const { schema } = route;
  const status = route.status ?? (schema.response === undefined ? 204 : 200);
  const parameters = [...parametersOf(schema.params, 'path'), ...parametersOf(schema.query, 'query')];
  const json = (body: TSchema): Record<string, { schema: object }> => ({ 'application/json': { schema: jsonSchema(body) } });
  const responses: OpenApiOperation['responses'] = {
    [status]: { description: route.summary, ...(schema.response ? { content: json(schema.response) } : {}) },
    default: { description: 'refused or failed', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  };
  return {
    operationId: operationId(route),
    summary: route.summary,
    tags: [...route.tags],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(schema.body ? { requestBody: { required: true, content: json(schema.body) } } : {}),
    responses,
    ...(route.security === 'signed-in' && options.security ? { security: options.security.signedIn } : { security: [] }),
  };
}

function parametersOf(schema: TObject | undefined, where: 'path' | 'query'): object[] {
  if (schema === undefined) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = jsonSchema(property) as { description?: string };
    return { name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

/** `GET /products/:productId/book` → `getProductsProductIdBook`. */
function operationId(route: ApiRoute): string {
  const words = route.path.split(/[/:_-]/).filter(Boolean);
  return route.method.toLowerCase() + words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
}

/**
 * A TypeBox schema as JSON Schema 2020-12 (what OpenAPI 3.1 uses): tuples as `prefixItems`,
 * no TypeBox symbols, no `errorMessage` (the validator's wording, not the contract).
 */
export function jsonSchema(schema: TSchema): object {
  return convert(JSON.parse(JSON.stringify(schema)) as Record<string, unknown>) as object;
}

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'errorMessage' || key === 'additionalItems') continue;
    if (key === 'items' && Array.isArray(value)) {
      out.prefixItems = value.map(convert);
      if ((node as { additionalItems?: unknown }).additionalItems === false) out.items = false;
      continue;
    }
    out[key] = convert(value);
  }
  return out;
}
