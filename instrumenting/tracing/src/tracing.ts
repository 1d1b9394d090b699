import { context, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
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

export type TraceExporterName = 'none' | 'console' | 'memory';

export interface Tracing {
  tracer: Tracer;
  /** Spans finished so far when the exporter is `memory` (tests); otherwise empty. */
  finishedSpans(): ReturnType<InMemorySpanExporter['getFinishedSpans']>;
  shutdown(): Promise<void>;
}

/**
 * A tracer provider owned by the caller, not registered globally, so several apps can live
 * in one process. Context travels explicitly (`withSpan`), not through a global manager.
 */
export function createTracing(config: { serviceName: string; exporter?: TraceExporterName }): Tracing {
  const memory = new InMemorySpanExporter();
  const spanProcessors: SpanProcessor[] = [];
  if (config.exporter === 'memory') spanProcessors.push(new SimpleSpanProcessor(memory));
  if (config.exporter === 'console') spanProcessors.push(new BatchSpanProcessor(new ConsoleSpanExporter()));
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

/** Runs `work` in a span that is a child of `parent`; the span ends when `work` settles. */
export async function withSpan<T>(
  tracer: Tracer,
  name: string,
  parent: Context | undefined,
  work: (span: Span, spanContext: Context) => Promise<T>,
): Promise<T> {
  const span = tracer.startSpan(name, undefined, parent ?? context.active());
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
