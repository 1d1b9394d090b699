import Big from 'big.js';
import type { HoldStore, IdPage } from '@sd/domain/exchange/account-ledger';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../usecase/core/catalog/default-products';
import { ProductCatalog } from '../usecase/core/catalog/product-catalog';
import { ExchangeEngine } from '../usecase/core/engine/exchange-engine';
import { formatUnits } from '../usecase/core/money/decimal';
import { HoldProjector } from '../usecase/read/ledger/hold-projector';
import { limit, market, OutcomeFixture, orderIdOf, T0 } from './outcome-fixture';
import { Prng } from './prng';
import { RandomCommands } from './random-commands';

/**
 * The holds of resting orders over one store adapter: a sell holds its remaining size, a buy
 * its worst-case cost; fills shrink them and the end of an order removes its hold; a fee
 * change reprices resting buys; newest-first paging both ways; per-user isolation; batches
 * that count nothing twice; and, over a random stream with fee changes, holds that add up to
 * each account's hold in the engine after every batch. `open` gives a store on an empty
 * database for each test; a second call in the same test gives another instance on it.
 */
export function describeHoldContract(name: string, open: () => Promise<HoldStore>): void {
  describe(`hold contract: ${name}`, () => {
    let fx: OutcomeFixture;
    let holdProjector: HoldProjector;
    let store: HoldStore;
    // As ReadSideProjector does: the catalog follows fee changes after each batch.
    const projector = {
      project: async (outcomes: CommandOutcome[]): Promise<void> => {
        await holdProjector.project(outcomes);
        fx.catalog.follow(outcomes);
      },
    };
    const holds = (userId: string, currency: string, page: Partial<IdPage> = {}) => store.listHolds(userId, currency, { limit: 100, ...page });

    beforeEach(async () => {
      fx = new OutcomeFixture();
      store = await open();
      holdProjector = new HoldProjector(fx.catalog, store);
    });

    it('holds what a resting order may still cost, shrinks it with each fill and removes it when the order is done', async () => {
      await projector.project(fx.fund('alice', 'bob'));
      fx.now = T0 + 1_000;
      const sell = fx.run(limit('alice', 'sell', '20000', '1'));
      const buy = fx.run(limit('bob', 'buy', '19000', '0.5'));
      await projector.project([sell, buy]);
      const base = { productId: 'BTC-USDT', createdAt: T0 + 1_000, updatedAt: T0 + 1_000 };
      expect(await holds('alice', 'BTC')).toEqual([
        { ...base, orderId: orderIdOf(sell), userId: 'alice', side: 'sell', currency: 'BTC', amount: '1.00000000', price: '20000.000000', remainingSize: '1.00000000' },
      ]);
      // 0.5 × 19000 = 9500, plus the fee at the larger rate (0.2 %) and one micro-USDT of rounding margin.
      expect(await holds('bob', 'USDT')).toEqual([
        { ...base, orderId: orderIdOf(buy), userId: 'bob', side: 'buy', currency: 'USDT', amount: '9519.000001', price: '19000.000000', remainingSize: '0.50000000' },
      ]);
      fx.now = T0 + 2_000;
      await projector.project([fx.run(market('bob', 'buy', { size: '0.25' }))]);
      expect(await holds('alice', 'BTC')).toEqual([expect.objectContaining({ amount: '0.75000000', remainingSize: '0.75000000', updatedAt: T0 + 2_000 })]);
      await projector.project([fx.run(market('bob', 'buy', { size: '0.75' })), fx.run({ type: 'cancel', userId: 'bob', orderId: String(orderIdOf(buy)) })]);
      expect(await holds('alice', 'BTC')).toEqual([]);
      expect(await holds('bob', 'USDT')).toEqual([]);
    });

    it('reprices resting buys when their product’s fees change, as the engine re-holds them', async () => {
      await projector.project(fx.fund('bob'));
      const buy = fx.run(limit('bob', 'buy', '100', '1'));
      await projector.project([buy]);
      expect(await holds('bob', 'USDT')).toEqual([expect.objectContaining({ amount: '100.200001' })]);
      fx.now = T0 + 5_000;
      await projector.project([fx.run({ type: 'set_product_fees', productId: 'BTC-USDT', makerFeeRate: '0', takerFeeRate: '0.005' })]);
      expect(await holds('bob', 'USDT')).toEqual([expect.objectContaining({ orderId: orderIdOf(buy), amount: '100.500000', updatedAt: T0 + 5_000 })]);
    });

    it('pages newest order first, after an order id and before one', async () => {
      await projector.project(fx.fund('alice'));
      const orders = fx.batch(...['1', '2', '3', '4', '5'].map((price) => limit('alice', 'buy', price, '1')));
      await projector.project(orders);
      const ids = orders.map(orderIdOf).reverse();
      expect((await holds('alice', 'USDT')).map((h) => h.orderId)).toEqual(ids);
      expect((await holds('alice', 'USDT', { limit: 2, olderThan: ids[0] })).map((h) => h.orderId)).toEqual([ids[1], ids[2]]);
      expect((await holds('alice', 'USDT', { limit: 2, newerThan: ids[3] })).map((h) => h.orderId)).toEqual([ids[1], ids[2]]);
      expect(await holds('alice', 'BTC')).toEqual([]);
      expect(await holds('mallory', 'USDT')).toEqual([]);
    });

    it('counts a redelivered batch once, and a batch two instances project at once once', async () => {
      await projector.project(fx.fund('alice', 'bob'));
      const sell = fx.run(limit('alice', 'sell', '20000', '1'));
      await projector.project([sell]);
      const other = new HoldProjector(fx.catalog, await open());
      const fills = fx.batch(market('bob', 'buy', { size: '0.1' }), market('bob', 'buy', { size: '0.2' }));
      await Promise.all([holdProjector.project(fills), other.project(fills), other.project(fills.slice(0, 1))]);
      await projector.project(fills);
      expect(await holds('alice', 'BTC')).toEqual([expect.objectContaining({ amount: '0.70000000' })]);
    });

    it('adds up, after every batch of a random stream with fee changes, to each account’s hold in the engine', async () => {
      const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
      const engine = new ExchangeEngine(catalog);
      const stream = new RandomCommands(catalog, { seed: 11, users: 4 });
      // The read side's own catalog follows the engine's product events, as ReadSideProjector does.
      const followed = catalog.copy();
      const randomProjector = new HoldProjector(followed, store);
      const r = new Prng(5);
      let sequence = 0;
      for (let batch = 0; batch < 8; batch++) {
        const outcomes: CommandOutcome[] = [];
        for (let i = 0; i < 100; i++) {
          sequence++;
          const product = r.pick(DEFAULT_PRODUCTS);
          const command = r.chance(0.03)
            ? { type: 'set_product_fees' as const, productId: product.id, makerFeeRate: r.pick(['0', '0.001', '0.0025']), takerFeeRate: r.pick(['0', '0.002', '0.005']) }
            : stream.next(sequence);
          outcomes.push(engine.apply({ sequence, timestamp: T0 + sequence, command }));
        }
        await randomProjector.project(outcomes);
        followed.follow(outcomes);
        for (let u = 0; u < 4; u++) {
          for (const { currency, hold } of engine.balances(`user-${u}`)) {
            const scale = catalog.currency(currency)!.scale;
            const held = (await store.listHolds(`user-${u}`, currency, { limit: 10_000 })).reduce((sum, h) => sum.plus(h.amount), new Big(0));
            expect(`${currency} ${held.toFixed(scale)}`).toBe(`${currency} ${formatUnits(hold, scale)}`);
          }
        }
      }
    }, 60_000);
  });
}
