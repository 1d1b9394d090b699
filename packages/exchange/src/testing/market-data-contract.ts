import { DomainError } from '@sd/domain/errors';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { CandleStore, TradeStore } from '@sd/domain/exchange/market-data';
import { QuotationProjector } from '../usecase/read/quotation/quotation-projector';
import { QuotationQueries } from '../usecase/read/quotation/quotation-queries';
import { limit, market, OutcomeFixture, T0 } from './outcome-fixture';

export interface MarketDataStores {
  candles: CandleStore;
  trades: TradeStore;
}

const S0 = T0 / 1000;

/**
 * The quotation read side over one pair of store adapters: trades and candles from real
 * engine outcomes, exact decimals, newest-first paging, and redelivered batches (at-least-once)
 * that change nothing. `open` gives empty stores for each test.
 */
export function describeMarketDataContract(name: string, open: () => Promise<MarketDataStores>): void {
  describe(`market data contract: ${name}`, () => {
    let fx: OutcomeFixture;
    let projector: QuotationProjector;
    let queries: QuotationQueries;
    let now: number;
    let stores: MarketDataStores;

    beforeEach(async () => {
      fx = new OutcomeFixture();
      stores = await open();
      projector = new QuotationProjector(fx.catalog, stores.candles, stores.trades);
      now = T0 + 3_600_000;
      queries = new QuotationQueries(fx.catalog, stores.candles, stores.trades, () => now);
    });

    /** Minute 0: one taker sweeps 0.1 @ 20000 and 0.2 @ 20010. Minute 1: 0.25 @ 19990. Minute 5: 0.05 @ 20100. */
    function scenario(): CommandOutcome[][] {
      const funding = fx.fund('alice', 'bob');
      fx.now = T0 + 10_000;
      const first = fx.batch(limit('alice', 'sell', '20000', '0.1'), limit('alice', 'sell', '20010', '0.2'), market('bob', 'buy', { size: '0.3' }));
      fx.now = T0 + 70_000;
      const second = fx.batch(limit('alice', 'sell', '19990', '0.25'), limit('bob', 'buy', '19990', '0.25'));
      fx.now = T0 + 301_000;
      const third = fx.batch(limit('bob', 'sell', '20100', '0.05'), limit('alice', 'buy', '20100', '0.05'));
      return [funding, first, second, third];
    }

    it('turns matches into trades, newest first, at the product scales with the maker side', async () => {
      for (const batch of scenario()) await projector.project(batch);
      const trades = await queries.trades('BTC-USDT');
      expect(trades.map(({ tradeId, price, size, side, time }) => ({ tradeId, price, size, side, time }))).toEqual([
        { tradeId: 4, price: '20100.000000', size: '0.05000000', side: 'sell', time: T0 + 301_000 },
        { tradeId: 3, price: '19990.000000', size: '0.25000000', side: 'sell', time: T0 + 70_000 },
        { tradeId: 2, price: '20010.000000', size: '0.20000000', side: 'sell', time: T0 + 10_000 },
        { tradeId: 1, price: '20000.000000', size: '0.10000000', side: 'sell', time: T0 + 10_000 },
      ]);
      expect((await queries.trades('BTC-USDT', { limit: 2, after: 3 })).map((t) => t.tradeId)).toEqual([2, 1]);
      expect((await queries.trades('BTC-USDT', { limit: 2, before: 1 })).map((t) => t.tradeId)).toEqual([3, 2]);
      expect(await queries.trades('ETH-USDT')).toEqual([]);
      expect((await queries.lastTrade('BTC-USDT'))?.tradeId).toBe(4);
      expect(await queries.lastTrade('ETH-BTC')).toBeNull();
    });

    it('builds candles of every granularity with exact volume, newest first', async () => {
      for (const batch of scenario()) await projector.project(batch);
      expect(await queries.candles('BTC-USDT', { granularity: 60 })).toEqual([
        [S0 + 300, '20100.000000', '20100.000000', '20100.000000', '20100.000000', '0.05000000'],
        [S0 + 60, '19990.000000', '19990.000000', '19990.000000', '19990.000000', '0.25000000'],
        [S0, '20000.000000', '20010.000000', '20000.000000', '20010.000000', '0.30000000'],
      ]);
      expect(await queries.candles('BTC-USDT', { granularity: 300 })).toEqual([
        [S0 + 300, '20100.000000', '20100.000000', '20100.000000', '20100.000000', '0.05000000'],
        [S0, '19990.000000', '20010.000000', '20000.000000', '19990.000000', '0.55000000'],
      ]);
      for (const granularity of [900, 3600, 21600, 86400]) {
        expect(await queries.candles('BTC-USDT', { granularity })).toEqual([[S0, '19990.000000', '20100.000000', '20000.000000', '20100.000000', '0.60000000']]);
      }
    });

    it('gives the same trades and candles when batches come again, whole or regrouped', async () => {
      const batches = scenario();
      for (const batch of batches) await projector.project(batch);
      const trades = await queries.trades('BTC-USDT');
      const candles = await queries.candles('BTC-USDT', { granularity: 300 });
      await projector.project(batches[1]!);
      await projector.project([...batches[2]!, ...batches[3]!]);
      await projector.project(batches.flat());
      expect(await queries.trades('BTC-USDT')).toEqual(trades);
      expect(await queries.candles('BTC-USDT', { granularity: 300 })).toEqual(candles);
      expect((await queries.stats24h('BTC-USDT')).volume).toBe('0.60000000');
    });

    it('answers the candles a batch changed, as stored, and none for a batch seen before', async () => {
      const [funding, first, second] = scenario();
      expect(await projector.project(funding!)).toEqual([]);
      const changed = await projector.project(first!);
      expect(changed.filter((candle) => candle.granularity === 60).map(({ time, open, close, volume }) => ({ time, open, close, volume }))).toEqual([
        { time: S0, open: '20000.000000', close: '20010.000000', volume: '0.30000000' },
      ]);
      expect(changed.map((candle) => candle.granularity).sort((a, b) => a - b)).toEqual([60, 300, 900, 3600, 21600, 86400]);
      expect(await projector.project(first!)).toEqual([]);
      const next = await projector.project(second!);
      expect(next.find((candle) => candle.granularity === 300)).toEqual((await stores.candles.list('BTC-USDT', 300, { limit: 1 }))[0]);
    });

    it('takes only the unseen tail of a batch that overlaps what a candle has', async () => {
      const [funding, first, second] = scenario();
      await projector.project([...funding!, ...first!]);
      await projector.project([...first!, ...second!]);
      expect(await queries.candles('BTC-USDT', { granularity: 900 })).toEqual([[S0, '19990.000000', '20010.000000', '20000.000000', '19990.000000', '0.55000000']]);
    });

    it('never moves a stored candle back to an older save', async () => {
      const candle = { productId: 'BTC-USDT', granularity: 60, time: S0, low: '1.000000', high: '3.000000', open: '2.000000', close: '3.000000', volume: '0.30000000', lastSequence: 10 } as const;
      await stores.candles.save([candle]);
      await stores.candles.save([{ ...candle, close: '1.000000', volume: '0.10000000', lastSequence: 9 }]);
      expect(await stores.candles.find([{ productId: 'BTC-USDT', granularity: 60, time: S0 }])).toEqual([candle]);
      await stores.candles.save([{ ...candle, close: '2.500000', volume: '0.40000000', lastSequence: 11 }]);
      expect(await stores.candles.list('BTC-USDT', 60, { limit: 10 })).toEqual([{ ...candle, close: '2.500000', volume: '0.40000000', lastSequence: 11 }]);
    });

    it('filters candles by range and refuses a bad granularity or a range over 300 candles', async () => {
      for (const batch of scenario()) await projector.project(batch);
      expect((await queries.candles('BTC-USDT', { granularity: 60, start: S0 + 30, end: S0 + 299 })).map((row) => row[0])).toEqual([S0 + 60, S0]);
      expect((await queries.candles('BTC-USDT', { granularity: 60, start: S0 + 60 })).map((row) => row[0])).toEqual([S0 + 300, S0 + 60]);
      expect((await queries.candles('BTC-USDT', { granularity: 60, end: S0 + 60 })).map((row) => row[0])).toEqual([S0 + 60, S0]);
      await expect(queries.candles('BTC-USDT', { granularity: 120 })).rejects.toMatchObject({ kind: 'invalid' });
      await expect(queries.candles('BTC-USDT', { granularity: 60, start: S0, end: S0 + 300 * 60 })).rejects.toMatchObject({ kind: 'invalid' });
      await expect(queries.candles('BTC-USDT', { granularity: 60, start: S0 + 60, end: S0 })).rejects.toMatchObject({ kind: 'invalid' });
      await expect(queries.candles('NOPE-USDT', { granularity: 60 })).rejects.toBeInstanceOf(DomainError);
      await expect(queries.trades('BTC-USDT', { limit: 1001 })).rejects.toMatchObject({ kind: 'invalid' });
    });

    it('answers at most 300 candles', async () => {
      fx.fund('alice', 'bob');
      const batch: CommandOutcome[] = [];
      for (let minute = 0; minute < 310; minute++) {
        fx.now = T0 + minute * 60_000;
        batch.push(fx.run(limit('alice', 'sell', '20000', '0.001')), fx.run(limit('bob', 'buy', '20000', '0.001')));
      }
      await projector.project(batch);
      const rows = await queries.candles('BTC-USDT', { granularity: 60 });
      expect(rows).toHaveLength(300);
      expect(rows[0]![0]).toBe(S0 + 309 * 60);
      const hours = await queries.candles('BTC-USDT', { granularity: 3600 });
      expect(hours.map((row) => [row[0], row[5]])).toEqual([
        [S0 + 5 * 3600, '0.01000000'],
        ...[4, 3, 2, 1, 0].map((hour) => [S0 + hour * 3600, '0.06000000']),
      ]);
    });

    it('computes 24 h stats over the rolling day to the minute', async () => {
      for (const batch of scenario()) await projector.project(batch);
      expect(await queries.stats24h('BTC-USDT')).toEqual({
        open: '20000.000000',
        high: '20100.000000',
        low: '19990.000000',
        last: '20100.000000',
        volume: '0.60000000',
      });
      now = T0 + 86_400_000 + 61_000; // minute 0 and 1 have left the day
      expect(await queries.stats24h('BTC-USDT')).toEqual({
        open: '20100.000000',
        high: '20100.000000',
        low: '20100.000000',
        last: '20100.000000',
        volume: '0.05000000',
      });
      now = T0 + 3 * 86_400_000;
      expect(await queries.stats24h('BTC-USDT')).toEqual({ open: '20100.000000', high: '20100.000000', low: '20100.000000', last: '20100.000000', volume: '0.00000000' });
      expect(await queries.stats24h('ETH-USDT')).toEqual({ open: '0.000000', high: '0.000000', low: '0.000000', last: '0.000000', volume: '0.00000000' });
    });

    it('sums 30 days of volume to the day', async () => {
      for (const batch of scenario()) await projector.project(batch);
      expect(await queries.volume30d('BTC-USDT')).toBe('0.60000000');
      now = T0 + 29 * 86_400_000;
      expect(await queries.volume30d('BTC-USDT')).toBe('0.60000000');
      now = T0 + 30 * 86_400_000; // the first day has left the 30
      expect(await queries.volume30d('BTC-USDT')).toBe('0.00000000');
      expect(await queries.volume30d('ETH-USDT')).toBe('0.00000000');
    });
  });
}
