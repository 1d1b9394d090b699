import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OtlpCollectorStub } from '@sd/tracing/testing/otlp-collector';
import { exchangeConfigFromEnv } from '../config';
import { startExchange, type RunningExchange } from '../server';
import { ApiClient } from '../testing/api-client';

jest.setTimeout(30_000);

describe('exchange traces out of the process (TRACING=otlp)', () => {
  let collector: OtlpCollectorStub;
  let dataDir: string;
  let exchange: RunningExchange | undefined;

  beforeAll(async () => {
    collector = await OtlpCollectorStub.start();
    dataDir = mkdtempSync(join(tmpdir(), 'sd-exchange-otlp-'));
  });
  afterAll(async () => {
    await exchange?.close();
    await collector.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exports the spans of a request to the collector, in the trace its traceparent names', async () => {
    exchange = await startExchange(
      exchangeConfigFromEnv({ DATA_DIR: dataDir, DEMO_MARKET: 'off', PORT: '0', LOG_LEVEL: 'silent', READ_SIDE: 'inline', TRACING: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint }),
    );
    const trader = new ApiClient(exchange.url);
    await trader.signUp('tracer@example.com');
    await trader.expectOk('POST', '/faucet', { currency: 'USDT', amount: '1000' });
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const callerSpanId = 'b7ad6b7169203331';
    const placed = await fetch(`${exchange.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${trader.token}`, traceparent: `00-${traceId}-${callerSpanId}-01` },
      body: JSON.stringify({ product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '100', size: '1' }),
    });
    expect(placed.status).toBe(200);
    await exchange.close(); // shuts the tracer down, which flushes the batch to the collector
    exchange = undefined;

    const traced = collector.spans.filter((span) => span.traceId === traceId);
    const request = traced.find((span) => span.name === 'HTTP POST /api/orders');
    expect(request).toMatchObject({ service: 'exchange-engine-api-history', parentSpanId: callerSpanId, attributes: { 'http.response.status_code': 200 } });
    const sequenced = traced.find((span) => span.name === 'exchange.sequence_and_apply');
    expect(sequenced).toMatchObject({ parentSpanId: request!.spanId, attributes: { 'exchange.command': 'place' } });
    expect(traced.some((span) => span.name === 'exchange.publish_outcomes')).toBe(true);
    // Requests without a traceparent start traces of their own.
    expect(collector.spans.filter((span) => span.name.startsWith('HTTP ') && span.traceId !== traceId).length).toBeGreaterThan(0);
  });
});
