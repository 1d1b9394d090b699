import { Type, type TProperties } from '@sinclair/typebox';
import { Router, type RequestHandler } from 'express';
import type { HealthCheck } from '@sd/domain/health';
import { defineRoute, type ApiRoute } from './api-route';

export interface CheckResult {
  status: 'up' | 'down';
  /** How long the check took, or waited before it was given up. */
  ms: number;
  /** Why it is down. */
  error?: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

export interface HealthOptions {
  /** What this process needs in order to serve; readiness runs them all, concurrently. */
  checks: readonly HealthCheck[];
  /** Fields of the live answer beside `status`, e.g. the engine sequence this process applied. */
  live?: () => Record<string, unknown>;
  /** A check that has not answered by then counts as down. Default 2000 ms. */
  timeoutMs?: number;
}

/** Where the routes are: `/api/health` (as before: liveness), `/api/health/live`, `/api/health/ready`. */
export const HEALTH_PATH = '/api/health';

/**
 * Runs named checks with a deadline each. A check still running from an earlier probe is
 * awaited again rather than started twice, so a dependency that hangs (a stopped broker, a
 * full connection pool) collects one pending call, not one per probe.
 */
export class ReadinessProbe {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly checks: readonly HealthCheck[],
    private readonly timeoutMs = 2000,
  ) {
    const names = checks.map((check) => check.name);
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    if (repeated !== undefined) throw new Error(`two health checks are named ${repeated}`);
  }

  async evaluate(): Promise<Readiness> {
    const results = await Promise.all(this.checks.map(async (check) => [check.name, await this.run(check)] as const));
    return { ready: results.every(([, result]) => result.status === 'up'), checks: Object.fromEntries(results) };
  }

  private async run(check: HealthCheck): Promise<CheckResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    let pending = this.running.get(check.name);
    if (pending === undefined) {
      pending = Promise.resolve()
        .then(() => check.check())
        .finally(() => this.running.delete(check.name));
      this.running.set(check.name, pending);
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([pending, deadline]);
      return { status: 'up', ms: elapsed() };
    } catch (error) {
      return { status: 'down', ms: elapsed(), error: reason(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The health routes every app mounts on its API port: liveness (the process runs and serves
 * HTTP; `/api/health` stays its alias) and readiness (every dependency answers), which
 * answers 503 naming the parts that fail, for load balancers, compose and orchestrators.
 */
export function healthRoutes(options: HealthOptions): Router {
  const router = Router();
  // Two routes rather than one with two paths: each keeps its own template in the request metrics.
  const live: RequestHandler = (_req, res) => void res.json({ status: 'ok', ...options.live?.() });
  router.get(HEALTH_PATH, live);
  router.get(`${HEALTH_PATH}/live`, live);
  router.use(readinessRoute(options));
  return router;
}

/**
 * Liveness as API routes (`GET /health` and `GET /health/live` under the API's mount path),
 * for an app that serves them on its fast lane; `fields` describes what `live` adds to
 * `status`. Readiness stays `readinessRoute`.
 */
export function liveRoutes(options: { live: () => Record<string, unknown>; fields: TProperties }): ApiRoute[] {
  const response = Type.Object({ status: Type.Literal('ok'), ...options.fields });
  return ['/health', '/health/live'].map((path) =>
    defineRoute({
      method: 'GET',
      path,
      summary: 'Liveness: the process runs and serves HTTP',
      tags: ['operations'],
      security: 'public',
      schema: { response },
      handle: () => ({ status: 'ok' as const, ...options.live() }),
    }),
  );
}

/** `GET /api/health/ready`: every check up, or a 503 naming the parts that fail. */
export function readinessRoute(options: Omit<HealthOptions, 'live'>): Router {
  const probe = new ReadinessProbe(options.checks, options.timeoutMs);
  const router = Router();
  router.get(`${HEALTH_PATH}/ready`, async (_req, res) => {
    const { ready, checks } = await probe.evaluate();
    if (ready) return void res.json({ status: 'ready', checks });
    const failing = Object.entries(checks)
      .filter(([, result]) => result.status === 'down')
      .map(([name, result]) => `${name} (${result.error})`);
    res.status(503).json({ status: 'unready', message: `not ready: ${failing.join(', ')}`, code: 'HEALTH.NOT_READY', checks });
  });
  return router;
}

/**
 * A driver's reason, short. Read by shape rather than `instanceof`: errors may come from another
 * realm (a worker, a test sandbox), and an AggregateError (every address refused) has no message
 * of its own.
 */
function reason(error: unknown): string {
  const { message, errors, name } = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; errors?: unknown; name?: unknown };
  if (message === '' && Array.isArray(errors) && errors.length > 0) return reason(errors[0]);
  if (typeof message === 'string' && message !== '') return message;
  return typeof name === 'string' ? name : String(error);
}
