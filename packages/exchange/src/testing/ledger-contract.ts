import Big from 'big.js';
import type { IdPage, LedgerStore, TransferQuery } from '@sd/domain/exchange/account-ledger';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../usecase/core/catalog/default-products';
import { ProductCatalog } from '../usecase/core/catalog/product-catalog';
import { ExchangeEngine } from '../usecase/core/engine/exchange-engine';
import { formatUnits } from '../usecase/core/money/decimal';
import { LedgerProjector } from '../usecase/read/ledger/ledger-projector';
import { limit, market, OutcomeFixture, T0 } from './outcome-fixture';
import { RandomCommands } from './random-commands';

/**
 * The account ledger and transfer history over one store adapter: deposits, withdrawals
 * (with their address) and transfers; each trade's match and fee entries on both sides with
 * the exact balance after each; newest-first paging both ways (Coinbase's `after` and
 * `before`); per-user isolation; redelivered or concurrently projected batches that count
 * nothing twice; and, over a random stream, a ledger that adds up to every engine balance.
 * `open` gives a store on an empty database for each test; a second call in the same test
 * gives another instance on the same database.
 */
export function describeLedgerContract(name: string, open: () => Promise<LedgerStore>): void {
  describe(`ledger contract: ${name}`, () => {
    let fx: OutcomeFixture;
    let projector: LedgerProjector;
    let store: LedgerStore;
    const page = { limit: 100 };
    // A store's page is by id: olderThan is Coinbase's `after`, newerThan its `before`.
    const entries = (userId: string, currency: string, at: Partial<IdPage> = {}) => store.listEntries(userId, currency, { ...page, ...at });
    const transfers = (userId: string, query: Partial<TransferQuery> = {}) => store.listTransfers(userId, { ...page, ...query });

    beforeEach(async () => {
      fx = new OutcomeFixture();
      store = await open();
      projector = new LedgerProjector(fx.catalog, store);
    });

    it('records deposits, withdrawals with their address, and transfers between users, with the balance after each', async () => {
      const deposit = fx.run({ type: 'deposit', userId: 'alice', currency: 'USDT', amount: '1000' });
      fx.now = T0 + 1_000;
      const withdrawal = fx.run({ type: 'withdraw', userId: 'alice', currency: 'USDT', amount: '250.5', cryptoAddress: '0xabc' });
      fx.now = T0 + 2_000;
      const transfer = fx.run({ type: 'transfer', fromUserId: 'alice', toUserId: 'bob', currency: 'USDT', amount: '0.000001' });
      await projector.project([deposit, withdrawal, transfer]);

      expect(await transfers('alice')).toEqual([
        { id: transfer.sequence, userId: 'alice', type: 'internal_withdraw', currency: 'USDT', amount: '0.000001', cryptoAddress: null, createdAt: T0 + 2_000 },
        { id: withdrawal.sequence, userId: 'alice', type: 'withdraw', currency: 'USDT', amount: '250.500000', cryptoAddress: '0xabc', createdAt: T0 + 1_000 },
        { id: deposit.sequence, userId: 'alice', type: 'deposit', currency: 'USDT', amount: '1000.000000', cryptoAddress: null, createdAt: T0 },
      ]);
      expect(await transfers('alice', { type: 'withdraw' })).toEqual([expect.objectContaining({ id: withdrawal.sequence })]);
      expect(await transfers('alice', { currency: 'BTC' })).toEqual([]);
      expect(await transfers('bob')).toEqual([expect.objectContaining({ type: 'internal_deposit', amount: '0.000001' })]);

      const usdt = await entries('alice', 'USDT');
      expect(usdt.map(({ amount, balance, type, transferType, transferId }) => ({ amount, balance, type, transferType, transferId }))).toEqual([
        { amount: '-0.000001', balance: '749.499999', type: 'transfer', transferType: 'internal_withdraw', transferId: transfer.sequence },
        { amount: '-250.500000', balance: '749.500000', type: 'transfer', transferType: 'withdraw', transferId: withdrawal.sequence },
        { amount: '1000.000000', balance: '1000.000000', type: 'transfer', transferType: 'deposit', transferId: deposit.sequence },
      ]);
      expect(usdt[0]!.id).toBeGreaterThan(usdt[1]!.id);
      expect(usdt[1]!.id).toBeGreaterThan(usdt[2]!.id);
      expect(usdt[2]).toMatchObject({ userId: 'alice', currency: 'USDT', orderId: null, tradeId: null, productId: null, createdAt: T0, sequence: deposit.sequence });
    });

    it('records both sides of each trade as match entries in each currency and a fee entry, exact to the last decimal', async () => {
      await projector.project(fx.fund('alice', 'bob'));
      const sell = fx.run(limit('alice', 'sell', '20000.01', '0.3'));
      const buy = fx.run(market('bob', 'buy', { size: '0.1234' }));
      await projector.project([sell, buy]);
      const trade = buy.events.find((event) => event.type === 'match')!;
      if (trade.type !== 'match') throw new Error('no trade');
      // 0.1234 × 20000.01 = 2468.001234; maker fee 0.1 % (rounded up to the micro-USDT), taker 0.2 %.
      const refs = { tradeId: trade.tradeId, productId: 'BTC-USDT', sequence: buy.sequence };
      expect(await entries('bob', 'USDT', { limit: 2 })).toEqual([
        expect.objectContaining({ ...refs, orderId: buy.orderId, type: 'fee', amount: '-4.936003', balance: '997527.062763' }),
        expect.objectContaining({ ...refs, orderId: buy.orderId, type: 'match', amount: '-2468.001234', balance: '997531.998766' }),
      ]);
      expect(await entries('bob', 'BTC', { limit: 1 })).toEqual([expect.objectContaining({ ...refs, type: 'match', amount: '0.12340000', balance: '1000000.12340000' })]);
      expect(await entries('alice', 'USDT', { limit: 2 })).toEqual([
        expect.objectContaining({ ...refs, orderId: sell.orderId, type: 'fee', amount: '-2.468002', balance: '1002465.533232' }),
        expect.objectContaining({ ...refs, orderId: sell.orderId, type: 'match', amount: '2468.001234', balance: '1002468.001234' }),
      ]);
      // The sell's hold moved funds from available to hold: no ledger entry, the balance is unchanged by it.
      expect(await entries('alice', 'BTC', { limit: 1 })).toEqual([expect.objectContaining({ type: 'match', amount: '-0.12340000', balance: '999999.87660000' })]);
    });

    it('pages newest first: after an id for older entries, before an id for the newer ones next to it', async () => {
      const outcomes: CommandOutcome[] = [];
      for (let i = 1; i <= 7; i++) outcomes.push(fx.run({ type: 'deposit', userId: 'alice', currency: 'BTC', amount: String(i) }));
      await projector.project(outcomes);
      const all = await entries('alice', 'BTC');
      expect(all.map((e) => e.amount)).toEqual(['7', '6', '5', '4', '3', '2', '1'].map((n) => `${n}.00000000`));
      const ids = all.map((e) => e.id);
      expect((await entries('alice', 'BTC', { limit: 2, olderThan: ids[1] })).map((e) => e.id)).toEqual([ids[2], ids[3]]);
      expect((await entries('alice', 'BTC', { limit: 2, newerThan: ids[4] })).map((e) => e.id)).toEqual([ids[2], ids[3]]);
      expect((await entries('alice', 'BTC', { limit: 10, newerThan: ids[1] })).map((e) => e.id)).toEqual([ids[0]]);
      const newer = await transfers('alice', { limit: 3, newerThan: outcomes[2]!.sequence });
      expect(newer.map((t) => t.id)).toEqual(outcomes.slice(3, 6).map((o) => o.sequence).reverse());
      expect(await transfers('alice', { olderThan: outcomes[0]!.sequence })).toEqual([]);
    });

    it("answers each user's own entries only", async () => {
      await projector.project(fx.fund('alice', 'bob'));
      expect(await entries('carol', 'BTC')).toEqual([]);
      expect(await transfers('carol')).toEqual([]);
      expect((await entries('alice', 'BTC')).every((e) => e.userId === 'alice')).toBe(true);
    });

    it('counts a redelivered batch once, and a batch two instances project at once once', async () => {
      const batch = fx.fund('alice');
      await projector.project(batch);
      await projector.project(batch);
      const other = new LedgerProjector(fx.catalog, await open());
      const next = fx.batch({ type: 'deposit', userId: 'alice', currency: 'ETH', amount: '1' }, { type: 'withdraw', userId: 'alice', currency: 'ETH', amount: '0.5' });
      await Promise.all([projector.project(next), other.project(next), other.project(next.slice(0, 1))]);
      expect((await entries('alice', 'ETH')).map((e) => e.balance)).toEqual(['1000000.50000000', '1000001.00000000', '1000000.00000000']);
      expect(await transfers('alice', { currency: 'ETH' })).toHaveLength(3);
    });

    it('adds up, over a random stream of every command, to each balance the engine holds', async () => {
      const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
      const engine = new ExchangeEngine(catalog);
      const stream = new RandomCommands(catalog, { seed: 7, users: 4 });
      const randomProjector = new LedgerProjector(catalog, store);
      for (let batch = 0, sequence = 1; batch < 6; batch++) {
        const outcomes: CommandOutcome[] = [];
        for (let i = 0; i < 120; i++, sequence++) outcomes.push(engine.apply({ sequence, timestamp: T0 + sequence, command: stream.next(sequence) }));
        await randomProjector.project(outcomes);
      }
      for (let u = 0; u < 4; u++) {
        for (const { currency, available, hold } of engine.balances(`user-${u}`)) {
          const scale = catalog.currency(currency)!.scale;
          const all = await store.listEntries(`user-${u}`, currency, { limit: 10_000 });
          const total = formatUnits(available + hold, scale);
          expect(all[0]?.balance).toBe(total);
          expect(all.reduce((sum, e) => sum.plus(e.amount), new Big(0)).toFixed(scale)).toBe(total);
        }
      }
    }, 30_000);
  });
}
