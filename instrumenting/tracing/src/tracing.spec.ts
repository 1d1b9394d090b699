import { createTracing, incomingTraceContext, serverSpan, withSpan } from './tracing';
import { OtlpCollectorStub } from './testing/otlp-collector';

describe('createTracing', () => {
  it('records parent and child spans with the service name', async () => {
    const tracing = createTracing({ serviceName: 'exchange', exporter: 'memory' });
    await withSpan(tracing.tracer, 'http POST /api/orders', undefined, async (_span, ctx) => {
      await withSpan(tracing.tracer, 'sequencer.append', ctx, async () => undefined);
    });
    const [child, parent] = tracing.finishedSpans();
    expect(parent?.name).toBe('http POST /api/orders');
    expect(child?.name).toBe('sequencer.append');
    expect(child?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    expect(parent?.resource.attributes['service.name']).toBe('exchange');
    await tracing.shutdown();
  });

  it('marks a span as failed when the work throws', async () => {
    const tracing = createTracing({ serviceName: 'exchange', exporter: 'memory' });
    await expect(withSpan(tracing.tracer, 'boom', undefined, async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(tracing.finishedSpans()[0]?.status.code).toBe(2);
  });
});

describe('OTLP export', () => {
  let collector: OtlpCollectorStub;
  beforeEach(async () => (collector = await OtlpCollectorStub.start()));
  afterEach(async () => collector.close());

  it('sends spans to the collector, continuing the trace of an incoming traceparent', async () => {
    const tracing = createTracing({ serviceName: 'exchange-api', exporter: 'otlp', otlpEndpoint: `${collector.endpoint}/` });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = incomingTraceContext({ traceparent: `00-${traceId}-00f067aa0ba902b7-01`, tracestate: 'vendor=1' });
    await withSpan(tracing.tracer, 'HTTP POST', parent, async (_span, ctx) => withSpan(tracing.tracer, 'inner', ctx, async () => undefined), serverSpan);
    await tracing.shutdown(); // flushes the batch

    const request = collector.spans.find((span) => span.name === 'HTTP POST')!;
    const inner = collector.spans.find((span) => span.name === 'inner')!;
    expect(request).toMatchObject({ service: 'exchange-api', traceId, parentSpanId: '00f067aa0ba902b7', kind: 2 }); // 2: SERVER in OTLP
    expect(inner).toMatchObject({ traceId, parentSpanId: request.spanId });
    expect(request.durationMs).toBeGreaterThanOrEqual(inner.durationMs);
  });

  it('starts a new trace when the traceparent is absent or malformed', async () => {
    const tracing = createTracing({ serviceName: 'exchange-api', exporter: 'memory' });
    for (const headers of [{}, { traceparent: 'garbage' }, { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` }]) {
      await withSpan(tracing.tracer, 'HTTP GET', incomingTraceContext(headers), async () => undefined);
    }
    const spans = tracing.finishedSpans();
    expect(spans).toHaveLength(3);
    for (const span of spans) expect(span.parentSpanContext).toBeUndefined();
    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(3);
  });
});
