import { createTracing, withSpan } from './tracing';

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
