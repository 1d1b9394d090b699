import { context, defaultTextMapGetter, ROOT_CONTEXT, SpanKind, trace, type Context, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export type TraceExporterName = 'none' | 'console' | 'memory' | 'otlp';

export interface TracingConfig {
  serviceName: string;
  exporter?: TraceExporterName;
  /**
   * With `otlp`: the collector's OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`, e.g. Jaeger's
   * `http://jaeger:4318`); spans go to `<endpoint>/v1/traces` as OTLP JSON.
   */
  otlpEndpoint?: string;
}

export interface Tracing {
  tracer: Tracer;
  /** Spans finished so far when the exporter is `memory` (tests); otherwise empty. */
  finishedSpans(): ReturnType<InMemorySpanExporter['getFinishedSpans']>;
  /** Exports what is still buffered, then stops. */
  shutdown(): Promise<void>;
}

/** The OTLP default: a collector on this host. */
export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';

/**
 * A tracer provider owned by the caller, not registered globally, so several apps can live
 * in one process. Context travels explicitly (`withSpan`), not through a global manager.
 */
export function createTracing(config: TracingConfig): Tracing {
  const memory = new InMemorySpanExporter();
  const spanProcessors: SpanProcessor[] = [];
  if (config.exporter === 'memory') spanProcessors.push(new SimpleSpanProcessor(memory));
  if (config.exporter === 'console') spanProcessors.push(new BatchSpanProcessor(new ConsoleSpanExporter()));
  if (config.exporter === 'otlp') {
    const endpoint = (config.otlpEndpoint ?? DEFAULT_OTLP_ENDPOINT).replace(/\/+$/, '');
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` })));
  }
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
    spanProcessors,
  });
  return {
    tracer: provider.getTracer(config.serviceName),
    finishedSpans: () => memory.getFinishedSpans(),
    shutdown: () => provider.shutdown(),
  };
}

const w3c = new W3CTraceContextPropagator();

/**
 * The caller's trace from W3C `traceparent`/`tracestate` request headers (lower-case, as Node
 * gives them), so a request span joins the trace its client started; the root context when
 * they are absent or malformed.
 */
export function incomingTraceContext(headers: Readonly<Record<string, string | string[] | undefined>>): Context {
  return w3c.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

/** Options of a span that serves a request from outside the process. */
export const serverSpan: SpanOptions = { kind: SpanKind.SERVER };

/** Runs `work` in a span that is a child of `parent`; the span ends when `work` settles. */
export async function withSpan<T>(
  tracer: Tracer,
  name: string,
  parent: Context | undefined,
  work: (span: Span, spanContext: Context) => Promise<T>,
  options?: SpanOptions,
): Promise<T> {
  const span = tracer.startSpan(name, options, parent ?? context.active());
  const spanContext = trace.setSpan(parent ?? context.active(), span);
  try {
    return await work(span, spanContext);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: 2 });
    throw error;
  } finally {
    span.end();
  }
}
