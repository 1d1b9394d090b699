import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { OrderHistoryStore } from '@sd/domain/exchange/order-history';
import { HistoryProjector } from '../usecase/read/history/history-projector';
import { HistoryQueries } from '../usecase/read/history/history-queries';
import { limit, market, OutcomeFixture, orderIdOf, T0 } from './outcome-fixture';

/**
 * The order and fill history over one store adapter: order lifecycle from real engine
 * outcomes, fills per side, exact decimals, paging, per-user isolation, and redelivered or
 * concurrently projected batches that count nothing twice. `open` gives a store on an empty
 * database for each test; a second call in the same test gives another instance on the same
 * database, as a second app instance would have.
 */
export function describeOrderHistoryContract(name: string, open: () => Promise<OrderHistoryStore>): void {
  describe(`order history contract: ${name}`, () => {
    let fx: OutcomeFixture;
    let projector: HistoryProjector;
    let history: HistoryQueries;

    beforeEach(async () => {
      fx = new OutcomeFixture();
      const store = await open();
      projector = new HistoryProjector(fx.catalog, store);
      history = new HistoryQueries(store);
    });

    it('follows an order from open through partial fills to canceled, with exact totals', async () => {
      await projector.project(fx.fund('alice', 'bob'));
      fx.now = T0 + 1_000;
      const sell = fx.run(limit('alice', 'sell', '20000', '1', { clientOid: 'a-1' }));
      await projector.project([sell]);
      const id = orderIdOf(sell);
      expect(await history.getOrder('alice', id)).toEqual({
        id,
        userId: 'alice',
        clientOid: 'a-1',
        productId: 'BTC-USDT',
        side: 'sell',
        type: 'limit',
        price: '20000.000000',
        size: '1.00000000',
        funds: null,
        timeInForce: 'GTC',
        postOnly: false,
        stp: 'dc',
        status: 'open',
        filledSize: '0.00000000',
        executedValue: '0.000000',
        fillFees: '0.000000',
        doneReason: null,
        cancelReason: null,
        createdAt: T0 + 1_000,
        doneAt: null,
        lastSequence: sell.sequence,
      });
      fx.now = T0 + 2_000;
      await projector.project([fx.run(market('bob', 'buy', { size: '0.1' }))]);
      fx.now = T0 + 3_000;
      await projector.project([fx.run(market('bob', 'buy', { size: '0.2' }))]);
      expect(await history.getOrder('alice', id)).toMatchObject({ status: 'open', filledSize: '0.30000000', executedValue: '6000.000000', fillFees: '6.000000' });
      fx.now = T0 + 4_000;
      const cancel = fx.run({ type: 'cancel', userId: 'alice', orderId: String(id) });
      await projector.project([cancel]);
      expect(await history.getOrder('alice', id)).toMatchObject({
        status: 'done',
        doneReason: 'canceled',
        cancelReason: 'user',
        doneAt: T0 + 4_000,
        filledSize: '0.30000000',
        lastSequence: cancel.sequence,
      });
      expect(await history.getOrderByClientOid('alice', 'a-1')).toMatchObject({ id });
      expect(await history.checkpoint()).toBe(cancel.sequence);
    });

    it('records one fill per side with liquidity, fee and the side of that user', async () => {
      await projector.project(fx.fund('alice', 'bob'));
      fx.now = T0 + 5_000;
      const sell = fx.run(limit('alice', 'sell', '20000', '0.5'));
      const buy = fx.run(limit('bob', 'buy', '20000', '0.2'));
      await projector.project([sell, buy]);
      expect(await history.listFills('alice')).toEqual([
        { tradeId: 1, userId: 'alice', orderId: orderIdOf(sell), productId: 'BTC-USDT', price: '20000.000000', size: '0.20000000', liquidity: 'M', fee: '4.000000', side: 'sell', createdAt: T0 + 5_000, sequence: buy.sequence },
      ]);
      expect(await history.listFills('bob')).toEqual([
        { tradeId: 1, userId: 'bob', orderId: orderIdOf(buy), productId: 'BTC-USDT', price: '20000.000000', size: '0.20000000', liquidity: 'T', fee: '8.000000', side: 'buy', createdAt: T0 + 5_000, sequence: buy.sequence },
      ]);
      expect(await history.getOrder('bob', orderIdOf(buy))).toMatchObject({ status: 'done', doneReason: 'filled', filledSize: '0.20000000', executedValue: '4000.000000', fillFees: '8.000000', doneAt: T0 + 5_000 });
    });

    it('records a market buy by funds', async () => {
      await projector.project(fx.fund('alice', 'bob'));
      const sell = fx.run(limit('alice', 'sell', '20000', '1'));
      const buy = fx.run(market('bob', 'buy', { funds: '1002' }));
      await projector.project([sell, buy]);
      expect(await history.getOrder('bob', orderIdOf(buy))).toMatchObject({
        type: 'market',
        price: null,
        size: null,
        funds: '1002.000000',
        status: 'done',
        filledSize: '0.05000000',
        executedValue: '1000.000000',
        fillFees: '2.000000',
      });
    });

    it('counts nothing twice when batches come again, whole, regrouped or from two instances at once', async () => {
      const batches = [fx.fund('alice', 'bob'), fx.batch(limit('alice', 'sell', '20000', '1')), fx.batch(market('bob', 'buy', { size: '0.1' }), market('bob', 'buy', { size: '0.2' }))];
      for (const batch of batches) await projector.project(batch);
      const orders = await history.listOrders('alice');
      const fills = await history.listFills('bob');
      await projector.project(batches[2]!);
      await projector.project(batches.flat());
      const second = new HistoryProjector(fx.catalog, await open());
      const more = fx.batch(market('bob', 'buy', { size: '0.3' }));
      await Promise.all([projector.project(more), second.project(more), second.project([...batches[2]!, ...more])]);
      expect(await history.listFills('bob')).toHaveLength(fills.length + 1);
      expect(await history.getOrder('alice', orders[0]!.id)).toMatchObject({ filledSize: '0.60000000', executedValue: '12000.000000' });
      expect(await history.checkpoint()).toBe(more[0]!.sequence);
    });

    it('lists orders newest first by status and product, and pages with after and before', async () => {
      await projector.project(fx.fund('alice', 'bob'));
      const placed: CommandOutcome[] = [];
      for (let i = 0; i < 5; i++) placed.push(fx.run(limit('alice', 'buy', `${19000 + i}`, '0.01')));
      placed.push(fx.run({ type: 'place', userId: 'alice', productId: 'ETH-USDT', side: 'buy', orderType: 'limit', price: '1000', size: '0.01' }));
      const cancel = fx.run({ type: 'cancel', userId: 'alice', orderId: String(orderIdOf(placed[1]!)) });
      await projector.project([...placed, cancel]);
      const ids = placed.map(orderIdOf);
      expect((await history.listOrders('alice')).map((o) => o.id)).toEqual([...ids].reverse());
      expect((await history.listOrders('alice', { status: 'open' })).map((o) => o.id)).toEqual([ids[5], ids[4], ids[3], ids[2], ids[0]]);
      expect((await history.listOrders('alice', { status: 'done' })).map((o) => o.id)).toEqual([ids[1]]);
      expect((await history.listOrders('alice', { productId: 'ETH-USDT' })).map((o) => o.id)).toEqual([ids[5]]);
      const page1 = await history.listOrders('alice', { status: 'open', productId: 'BTC-USDT', limit: 2 });
      const page2 = await history.listOrders('alice', { status: 'open', productId: 'BTC-USDT', limit: 2, after: page1[1]!.id });
      expect([...page1, ...page2].map((o) => o.id)).toEqual([ids[4], ids[3], ids[2], ids[0]]);
      // before: the newer page next to the cursor, still newest first.
      expect((await history.listOrders('alice', { limit: 2, before: ids[1] })).map((o) => o.id)).toEqual([ids[3], ids[2]]);
      await expect(history.listOrders('alice', { before: ids[1], after: ids[3] })).rejects.toMatchObject({ kind: 'invalid' });
      await expect(history.listOrders('alice', { limit: 0 })).rejects.toMatchObject({ kind: 'invalid' });
    });

    it('pages fills by trade id and filters them by order and product', async () => {
      await projector.project(fx.fund('alice', 'bob'));
      const sell = fx.run(limit('alice', 'sell', '20000', '1'));
      const buys = [1, 2, 3, 4].map(() => fx.run(market('bob', 'buy', { size: '0.1' })));
      const other = fx.run(limit('alice', 'sell', '20000', '0.1', { productId: 'ETH-USDT', price: '1000' }));
      const otherBuy = fx.run({ type: 'place', userId: 'bob', productId: 'ETH-USDT', side: 'buy', orderType: 'market', size: '0.1' });
      await projector.project([sell, ...buys, other, otherBuy]);
      expect((await history.listFills('alice')).map((f) => f.tradeId)).toEqual([5, 4, 3, 2, 1]);
      expect((await history.listFills('alice', { limit: 2, after: 4 })).map((f) => f.tradeId)).toEqual([3, 2]);
      expect((await history.listFills('alice', { limit: 2, before: 2 })).map((f) => f.tradeId)).toEqual([4, 3]);
      expect((await history.listFills('alice', { productId: 'ETH-USDT' })).map((f) => f.tradeId)).toEqual([5]);
      expect((await history.listFills('bob', { orderId: orderIdOf(buys[2]!) })).map((f) => f.tradeId)).toEqual([3]);
    });

    it('never shows a user the orders or fills of another', async () => {
      await projector.project(fx.fund('alice', 'bob'));
      const sell = fx.run(limit('alice', 'sell', '20000', '1', { clientOid: 'shared-oid' }));
      const buy = fx.run(limit('bob', 'buy', '20000', '0.1', { clientOid: 'shared-oid' }));
      await projector.project([sell, buy]);
      expect(await history.getOrder('bob', orderIdOf(sell))).toBeNull();
      expect(await history.getOrderByClientOid('bob', 'shared-oid')).toMatchObject({ id: orderIdOf(buy), userId: 'bob' });
      expect(await history.getOrderByClientOid('alice', 'shared-oid')).toMatchObject({ id: orderIdOf(sell), userId: 'alice' });
      expect((await history.listOrders('bob')).map((o) => o.userId)).toEqual(['bob']);
      expect(await history.listFills('bob', { orderId: orderIdOf(sell) })).toEqual([]);
      expect(await history.listOrders('carol')).toEqual([]);
    });
  });
}
