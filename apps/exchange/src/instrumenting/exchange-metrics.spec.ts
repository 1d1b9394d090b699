import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import { requestSubmitter, startMemoryEngineHost } from '@sd/exchange/testing/memory-engine-host';
import { Metrics } from '@sd/metrics/metrics';
import { countWebSocketClients, instrumentEngine, watchOutcomeLag } from './exchange-metrics';
import { untraced } from './exchange-tracing';

/** `name{labels} value` lines of the exposition, as a map. */
async function samples(metrics: Metrics): Promise<Map<string, number>> {
  const { body } = await metrics.expose();
  const lines = body.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  return new Map(lines.map((line) => [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))]));
}

const until = async (check: () => Promise<boolean>): Promise<void> => {
  for (let i = 0; i < 500 && !(await check()); i++) await new Promise((done) => setTimeout(done, 10));
};

describe('exchange metrics around the ports', () => {
  let host: Awaited<ReturnType<typeof startMemoryEngineHost>>;
  const metrics = new Metrics();
  const published: CommandOutcome[] = [];
  const instrumented = instrumentEngine(metrics, untraced);

  beforeAll(async () => {
    host = await startMemoryEngineHost({ instrumentation: instrumented, output: { publish: async (outcomes) => void published.push(...outcomes) } });
  });

  afterAll(() => host.close());

  it('counts commands by type and result, times each group commit and each command the engine applies, and drains the queue gauge', async () => {
    const submit = requestSubmitter(host, instrumented.submitter(host));
    await Promise.all([
      submit({ type: 'deposit', userId: 'maker', currency: 'BTC', amount: '1' }),
      submit({ type: 'deposit', userId: 'taker', currency: 'USDT', amount: '1000' }),
    ]);
    await submit({ type: 'place', userId: 'maker', productId: 'BTC-USDT', side: 'sell', orderType: 'limit', price: '100', size: '1' });
    const trade = submit({ type: 'place', userId: 'taker', productId: 'BTC-USDT', side: 'buy', orderType: 'limit', price: '100', size: '0.5' });
    expect((await samples(metrics)).get('exchange_sequencer_queue_depth')).toBe(1);
    await trade;
    // Too poor: a rejection is an answer of the engine, counted apart.
    await submit({ type: 'place', userId: 'taker', productId: 'BTC-USDT', side: 'buy', orderType: 'limit', price: '100', size: '50' });

    const values = await samples(metrics);
    expect(values.get('exchange_engine_commands_total{type="deposit",result="accepted"}')).toBe(2);
    expect(values.get('exchange_engine_commands_total{type="place",result="accepted"}')).toBe(2);
    expect(values.get('exchange_engine_commands_total{type="place",result="rejected"}')).toBe(1);
    expect(values.get('exchange_sequencer_queue_depth')).toBe(0);
    expect(values.get('exchange_engine_apply_seconds_count')).toBe(published.length);
    // The two deposits went in one group commit; each order in its own.
    expect(values.get('exchange_journal_append_seconds_count')).toBe(4);
    expect(values.get('exchange_journal_batch_commands_sum')).toBe(published.length);
    expect(values.get('exchange_journal_batch_commands_bucket{le="1"}')).toBe(3);
    expect(published.some((outcome) => outcome.events.some((event) => event.type === 'match'))).toBe(true);
  });

  it('reports the read side lag behind the engine', async () => {
    let checkpoint = 3;
    const stop = watchOutcomeLag(metrics, () => 10, async () => checkpoint, (error) => { throw error; }, 5);
    await until(async () => (await samples(metrics)).get('exchange_outcome_lag_commands') === 7);
    checkpoint = 10;
    await until(async () => (await samples(metrics)).get('exchange_outcome_lag_commands') === 0);
    await stop();
    expect((await samples(metrics)).get('exchange_outcome_lag_commands')).toBe(0);
  });

  it('counts connected WebSocket clients', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((done) => wss.once('listening', done));
    countWebSocketClients(wss, metrics);
    const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
    const clients = await Promise.all([1, 2, 3].map(() => new Promise<WebSocket>((done, fail) => { const ws = new WebSocket(url); ws.once('open', () => done(ws)).once('error', fail); })));
    await until(async () => (await samples(metrics)).get('exchange_websocket_clients') === 3);
    clients[0]!.close();
    await until(async () => (await samples(metrics)).get('exchange_websocket_clients') === 2);
    expect((await samples(metrics)).get('exchange_websocket_clients')).toBe(2);
    for (const client of clients) client.terminate();
    await new Promise((done) => wss.close(done));
  });

  it('exposes every exchange metric the Grafana dashboard queries', async () => {
    const dashboard = readFileSync(resolve(__dirname, '../../../../docker/grafana/dashboards/exchange.json'), 'utf8');
    const queried = new Set([...dashboard.matchAll(/\b(exchange_\w+?)(_bucket|_count|_sum)?\b/g)].map((match) => match[1]!));
    const { body } = await metrics.expose();
    const exposed = new Set([...body.matchAll(/^# TYPE (\w+) /gm)].map((match) => match[1]!));
    expect([...queried].filter((name) => !exposed.has(name))).toEqual([]);
    expect(queried.size).toBeGreaterThanOrEqual(5);
  });
});
