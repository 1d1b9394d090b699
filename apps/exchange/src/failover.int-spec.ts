import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { serviceUrl } from '@sd/testing/services';
import { exchangeConfigFromEnv } from './config';
import { startExchange, type RunningExchange } from './server';
import { ApiClient } from './testing/api-client';
import { distributedEnv } from './testing/distributed-env';
import { ExchangeProcess } from './testing/exchange-process';
import { expectEventually } from './testing/eventually';

jest.setTimeout(180_000);

/**
 * Hot standby: two engine processes follow the Kafka command log; the one the request group
 * picked leads. SIGKILL it under a stream of orders: the standby takes the request partition,
 * fences the dead leader through the journal and goes on. Every acknowledged order is there
 * once, no client order id twice, balances exact.
 */
describe('exchange engine failover, distributed mode on Kafka and PostgreSQL', () => {
  const dirs: string[] = [];
  const engines: ExchangeProcess[] = [];
  let api: RunningExchange;
  let schema: { url: string; drop(): Promise<void> };
  let env: Record<string, string>;

  beforeAll(async () => {
    schema = await isolatedPostgresSchema(serviceUrl('postgres'), 'exchange_failover');
    env = { ...distributedEnv('failover', schema.url), LOG_LEVEL: 'info' };
    for (let i = 0; i < 2; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'sd-engine-'));
      dirs.push(dataDir);
      engines.push(await ExchangeProcess.start({ ...env, ROLES: 'engine,history', DATA_DIR: dataDir }));
    }
    api = await startExchange(exchangeConfigFromEnv({ ...env, LOG_LEVEL: 'silent', ROLES: 'api', PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'sd-api-')) }));
  });

  afterAll(async () => {
    await api?.close();
    for (const engine of engines) await engine.kill();
    await schema?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged order when the leading engine is killed, and applies none twice', async () => {
    const trader = new ApiClient(api.url);
    await trader.signUp('trader@example.com');
    await trader.expectOk('POST', '/faucet', { currency: 'USDT', amount: '100000' });

    const acknowledged = new Map<string, string>(); // client_oid → order id
    let refused = 0;
    let next = 0;
    const place = async (): Promise<void> => {
      const clientOid = `c-${next++}`;
      const answer = await trader.request('POST', '/orders', { product_id: 'BTC-USDT', side: 'buy', type: 'limit', price: '100', size: '0.01', client_oid: clientOid });
      if (answer.status === 200) acknowledged.set(clientOid, answer.body.id);
      else refused += 1; // 503 while no engine answers: unacknowledged, may or may not be applied
    };
    for (let i = 0; i < 20; i++) await place();

    const leader = await leaderOf(engines);
    // Orders in flight while the leader dies: each is acknowledged by it, or not at all.
    const inFlight = Promise.all([place(), place(), place()]);
    await leader.kill('SIGKILL');
    const killedAt = performance.now();
    await inFlight;
    // Orders sent after the leader is gone: the first acknowledged one ends the failover.
    const acknowledgedBefore = acknowledged.size;
    while (acknowledged.size === acknowledgedBefore) await place();
    const failoverMs = performance.now() - killedAt;
    while (acknowledged.size < 60) await place();
    console.log(`failover: first order sent after SIGKILL of the leader acknowledged ${failoverMs.toFixed(0)} ms after the kill (${refused} requests answered 503 meanwhile)`);

    await expectEventually(async () => (await trader.expectOk('GET', '/orders?status=open&limit=1000')).length >= acknowledged.size, 30_000);
    const open: Array<{ id: string; client_oid: string }> = await trader.expectOk('GET', '/orders?status=open&limit=1000');
    const byClientOid = new Map<string, string[]>();
    for (const order of open) byClientOid.set(order.client_oid, [...(byClientOid.get(order.client_oid) ?? []), order.id]);
    for (const [clientOid, orderId] of acknowledged) expect(byClientOid.get(clientOid)).toEqual([orderId]);
    expect([...byClientOid.values()].every((ids) => ids.length === 1)).toBe(true);
    // Each resting buy holds 1 USDT + the worst-case fee; what is not held is available, to the unit.
    const { USDT } = await trader.balances();
    expect(USDT!.balance).toBe('100000.000000');
    expect(Number(USDT!.hold)).toBeGreaterThanOrEqual(open.length);
  });
});

/** The engine process that took the lead last (a joining standby can take the request partition from the first leader). */
async function leaderOf(engines: ExchangeProcess[]): Promise<ExchangeProcess> {
  const tookLeadAt = (engine: ExchangeProcess): number => {
    const times = [...engine.recentOutput().matchAll(/"time":(\d+)[^\n]*engine taking the lead/g)].map((match) => Number(match[1]));
    return Math.max(-1, ...times);
  };
  const leader = [...engines].sort((a, b) => tookLeadAt(b) - tookLeadAt(a))[0]!;
  if (tookLeadAt(leader) < 0) throw new Error(`no engine process took the lead:\n${engines.map((e) => e.recentOutput()).join('\n---\n')}`);
  return leader;
}
