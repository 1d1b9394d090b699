import { createLogger } from '@sd/logging/logger';
import type { Trade, TradeStore } from '@sd/domain/exchange/market-data';
import { startSandboxFixture, type SandboxFixture } from '../../testing/sandbox-fixture';
import { Prng } from '../core/prng';
import { basisPoint, DEMO_MARKET_DEFAULTS, DemoMarket, ladder, startingMid, takerLots, walk } from './demo-market';
import { ProductGrid } from './product-grid';
import { sandboxMaker } from './sandbox-funds';

const PRICES = { BTC: '30000', ETH: '2000', USDT: '1' };

describe('the demo market', () => {
  describe('its random walk, ladder and taker sizes', () => {
    it('walks a basis point at a time, the same way for the same seed, and stays within 2 % of where it started', () => {
      const anchor = 3_000_000; // 30000.00 in ticks of 0.01
      const path = (seed: number): number[] => {
        const prng = new Prng(seed);
        const prices = [anchor];
        for (let i = 0; i < 20_000; i++) prices.push(walk(prng, prices[prices.length - 1]!, anchor));
        return prices;
      };
      const prices = path(7);
      expect(path(7)).toEqual(prices);
      expect(path(8)).not.toEqual(prices);
      for (let i = 1; i < prices.length; i++) expect([-300, 0, 300]).toContain(prices[i]! - prices[i - 1]!);
      expect(Math.max(...prices)).toBeLessThanOrEqual(anchor * 1.02);
      expect(Math.min(...prices)).toBeGreaterThanOrEqual(anchor * 0.98);
      // It does move: a seeded walk that stood still would show a dead market.
      expect(new Set(prices).size).toBeGreaterThan(20);
    });

    it('quotes its ladder strictly outside the reference, a step apart, best first', () => {
      expect(ladder(1000, 3, 10)).toEqual({ bids: [990, 980, 970], asks: [1010, 1020, 1030] });
      // Never a bid at or below zero.
      expect(ladder(15, 3, 10)).toEqual({ bids: [5], asks: [25, 35, 45] });
    });

    it('never lets a taker order take more than its share of the depth it crosses', () => {
      const prng = new Prng(3);
      for (let i = 0; i < 5000; i++) {
        const depth = prng.int(0, 200);
        const lots = takerLots(prng, 10, depth, 20);
        expect(lots * 100).toBeLessThanOrEqual(depth * 20);
        // Either no order or at least the fewest lots, at most twenty times that.
        expect(lots === 0 || (lots >= 10 && lots <= 200)).toBe(true);
      }
      expect(takerLots(new Prng(1), 10, 49, 20)).toBe(0);
    });
  });

  describe('on an engine', () => {
    let fx: SandboxFixture;
    let demo: DemoMarket;
    const lastTrades: Trade[] = [];
    const trades: TradeStore = { insert: async () => undefined, list: async () => lastTrades.slice(0, 1) };

    beforeEach(async () => {
      fx = await startSandboxFixture();
      lastTrades.length = 0;
      demo = new DemoMarket({ trading: fx.trading, funds: fx.funds, reader: fx.host, trades, logger: createLogger({ name: 'test', level: 'silent' }) }, { ...DEMO_MARKET_DEFAULTS, seed: 1, prices: PRICES });
    });

    afterEach(async () => {
      await demo.stop();
      await fx.host.close();
    });

    it('quotes a ladder of its levels a side around the mid, from its own funded account', async () => {
      await demo.quote('BTC-USDT');
      const book = fx.host.engine.level2('BTC-USDT')!;
      expect(book.bids).toHaveLength(DEMO_MARKET_DEFAULTS.levels);
      expect(book.asks).toHaveLength(DEMO_MARKET_DEFAULTS.levels);
      // In USDT minor units (6 decimals): around 30000 (a basis point of walk at most), a spread of two basis points.
      const usdt = 1_000_000;
      const [bestBid, bestAsk] = [book.bids[0]![0], book.asks[0]![0]];
      expect(bestBid).toBeGreaterThan(29_990 * usdt);
      expect(bestAsk).toBeLessThan(30_010 * usdt);
      expect(bestAsk - bestBid).toBe(6 * usdt);
      const makerOrders = fx.host.engine.openOrders(sandboxMaker('BTC-USDT'), 'BTC-USDT');
      expect(makerOrders).toHaveLength(2 * DEMO_MARKET_DEFAULTS.levels);
      const deposits = fx.outcomes.map((outcome) => outcome.command).filter((command) => command.type === 'deposit');
      expect(deposits.map((command) => command.userId)).toEqual([sandboxMaker('BTC-USDT'), sandboxMaker('BTC-USDT')]);
      // Quoting again replaces the ladder rather than adding to it.
      await demo.quote('BTC-USDT');
      expect(fx.host.engine.openOrders(sandboxMaker('BTC-USDT'), 'BTC-USDT')).toHaveLength(2 * DEMO_MARKET_DEFAULTS.levels);
    });

    it('continues from the last trade after a restart, not from the configured mid', async () => {
      lastTrades.push({ productId: 'BTC-USDT', tradeId: 9, price: '41000.00', size: '0.1', side: 'buy', time: 0, sequence: 9 });
      await demo.quote('BTC-USDT');
      const bestBid = fx.host.engine.level2('BTC-USDT')!.bids[0]![0];
      expect(bestBid).toBeGreaterThan(40_980 * 1_000_000);
      expect(bestBid).toBeLessThan(41_000 * 1_000_000);
    });

    it('has its takers trade against the book, each order within its share of the depth it crossed', async () => {
      await demo.quote('BTC-USDT');
      const depthOf = (side: 'bids' | 'asks'): number => fx.host.engine.level2('BTC-USDT')![side].reduce((sum, [, size]) => sum + size, 0);
      let orders = 0;
      for (let round = 0; round < 40; round++) {
        for (let taker = 1; taker <= DEMO_MARKET_DEFAULTS.takers; taker++) {
          const depth = { bids: depthOf('bids'), asks: depthOf('asks') };
          const before = fx.matches().length;
          await demo.take('BTC-USDT', taker);
          const fills = fx.matches().slice(before);
          if (fills.length === 0) continue;
          orders++;
          // A taker buy crosses the asks (the maker sold), a sell the bids.
          const crossed = fills[0]!.side === 'sell' ? depth.asks : depth.bids;
          expect(fills.reduce((sum, fill) => sum + fill.size, 0) * 100).toBeLessThanOrEqual(crossed * DEMO_MARKET_DEFAULTS.takerSharePercent);
          expect(fills.every((fill) => fill.makerUserId === sandboxMaker('BTC-USDT') && fill.takerUserId === `sandbox-taker-${taker}-BTC-USDT`)).toBe(true);
        }
        // The maker requotes now and then, as its timer would.
        if (round % 10 === 9) await demo.quote('BTC-USDT');
      }
      expect(orders).toBeGreaterThan(60);
    });

    it("lets a user's market order fill against the demo quotes at the best price the book showed", async () => {
      await demo.quote('BTC-USDT');
      const bestAsk = fx.host.engine.level2('BTC-USDT')!.asks[0]![0];
      await fx.funds.ensure('user-1', fx.host.engine.catalog.currency('USDT')!, 1_000_000_000);
      const order = await fx.trading.placeOrder('user-1', { productId: 'BTC-USDT', side: 'buy', orderType: 'market', size: '0.0010' });
      expect(order.filledSize).toBe('0.00100000');
      const [match] = fx.matches().filter((m) => m.takerUserId === 'user-1');
      expect(match).toMatchObject({ price: bestAsk, makerUserId: sandboxMaker('BTC-USDT') });
    });
  });

  it("starts a product's walk at its currencies' dollar prices, else at 10,000 ticks", async () => {
    const fx = await startSandboxFixture();
    const { catalog } = fx.host.engine;
    expect(startingMid(new ProductGrid(catalog.product('BTC-USDT')!), PRICES)).toBe(3_000_000);
    expect(startingMid(new ProductGrid(catalog.product('ETH-BTC')!), PRICES)).toBe(6667);
    expect(startingMid(new ProductGrid(catalog.product('ETH-BTC')!), { BTC: '30000' })).toBe(10_000);
    expect(basisPoint(3_000_000)).toBe(300);
    await fx.host.close();
  });
});
