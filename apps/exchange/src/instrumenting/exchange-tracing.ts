import { AsyncLocalStorage } from 'node:async_hooks';
import { SpanStatusCode, type Context, type Tracer } from '@opentelemetry/api';
import type { CommandSubmitter } from '@sd/domain/exchange/command-submitter';
import type { EngineOutput } from '@sd/domain/exchange/engine-output';
import { routeTemplate, type NodeHandler } from '@sd/http/http-app';
import { incomingTraceContext, serverSpan, withSpan } from '@sd/tracing/tracing';

/** Where the app weaves tracing in: the HTTP middleware, the sequencer and the engine output. */
export interface RequestTracing {
  middleware(): NodeHandler | null;
  submitter(inner: CommandSubmitter): CommandSubmitter;
  output(inner: EngineOutput): EngineOutput;
}

/**
 * TRACING=none: nothing wrapped. The AsyncLocalStorage behind request traces turns on
 * promise hooks that tax every await of the process, so an untraced app must not create one.
 */
export const untraced: RequestTracing = {
  middleware: () => null,
  submitter: (inner) => inner,
  output: (inner) => inner,
};

/**
 * Request-scoped trace context: the HTTP middleware opens a span per request and the
 * wrappers below continue it, so use cases and the engine stay free of tracing.
 */
export class RequestTraces implements RequestTracing {
  private readonly current = new AsyncLocalStorage<Context>();

  constructor(private readonly tracer: Tracer) {}

  /**
   * A span per request, named by method and route template once the route is known. It
   * continues the caller's trace when the request carries a W3C `traceparent`.
   */
  middleware(): NodeHandler {
    return (req, res, next) => {
      const caller = incomingTraceContext(req.headers);
      void withSpan(this.tracer, `HTTP ${req.method}`, caller, (span, context) => {
        span.setAttribute('http.request.method', req.method ?? 'GET');
        return new Promise<void>((done) => {
          res.once('close', () => {
            const route = routeTemplate(req, res);
            if (route !== 'unmatched') span.updateName(`HTTP ${req.method} ${route}`);
            span.setAttribute('http.response.status_code', res.statusCode);
            if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
            done();
          });
          this.current.run(context, next);
        });
      }, serverSpan);
    };
  }

  /** The sequencer, as a child span of the request: sequence number, command type and any rejection. */
  submitter(inner: CommandSubmitter): CommandSubmitter {
    return {
      submit: (command) =>
        withSpan(this.tracer, 'exchange.sequence_and_apply', this.current.getStore(), async (span) => {
          span.setAttribute('exchange.command', command.type);
          const outcome = await inner.submit(command);
          span.setAttribute('exchange.sequence', outcome.sequence);
          span.setAttribute('exchange.events', outcome.events.length);
          if (outcome.rejection !== null) span.setAttribute('exchange.rejection', outcome.rejection.code);
          return outcome;
        }),
    };
  }

  /**
   * The engine output, a span per published batch. The sequencer drains a batch in the async
   * context of the request that started it, so the span joins that request's trace.
   */
  output(inner: EngineOutput): EngineOutput {
    return {
      publish: (outcomes) =>
        withSpan(this.tracer, 'exchange.publish_outcomes', this.current.getStore(), async (span) => {
          span.setAttribute('exchange.outcomes', outcomes.length);
          if (outcomes.length > 0) {
            span.setAttribute('exchange.first_sequence', outcomes[0]!.sequence);
            span.setAttribute('exchange.last_sequence', outcomes[outcomes.length - 1]!.sequence);
          }
          await inner.publish(outcomes);
        }),
    };
  }
}
