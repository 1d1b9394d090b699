import Big from 'big.js';
import { Grid } from '../decimal';
import { type LoadAction, type MarketSpec, OrderMix } from './order-mix';

const market: MarketSpec = { productId: 'BTC-USDT', price: new Grid('0.01'), size: new Grid('0.0001'), midSteps: 3_000_000, minSizeSteps: 2 };
const options = { weights: { passive: 0.6, crossing: 0.1, cancel: 0.3 }, spreadSteps: 50, maxSizeMultiple: 10, maxOpenPerUser: 1000, seed: 7 };

function counterOids(): () => string {
  let n = 0;
  return () => `oid-${++n}`;
}

/** Runs the mix as the load test does: every resting order is acknowledged at once. */
function drive(mix: OrderMix, users: number, count: number): LoadAction[] {
  const actions: LoadAction[] = [];
  for (let i = 0; i < count; i++) {
    const action = mix.next(i % users);
    if (action.kind === 'place' && action.rests) mix.rested(action.user, action.clientOid);
    actions.push(action);
  }
  return actions;
}

describe('OrderMix', () => {
  it('is reproducible from its seed', () => {
    const a = drive(new OrderMix(market, options, 3, counterOids()), 3, 500);
    const b = drive(new OrderMix(market, options, 3, counterOids()), 3, 500);
    expect(a).toEqual(b);
    const c = drive(new OrderMix(market, { ...options, seed: 8 }, 3, counterOids()), 3, 500);
    expect(c).not.toEqual(a);
  });

  it('follows the weights: mostly resting limits, some crossing orders, some cancels', () => {
    const actions = drive(new OrderMix(market, options, 10, counterOids()), 10, 20_000);
    const share = (pick: (a: LoadAction) => boolean) => actions.filter(pick).length / actions.length;
    expect(share((a) => a.kind === 'place' && a.rests)).toBeCloseTo(0.6, 1);
    expect(share((a) => a.kind === 'place' && !a.rests)).toBeCloseTo(0.1, 1);
    expect(share((a) => a.kind === 'cancel')).toBeCloseTo(0.3, 1);
  });

  it('rests orders on their own side of the mid and crosses it only with IOC or market orders, on the grids', () => {
    const mid = new Big('30000');
    for (const action of drive(new OrderMix(market, options, 2, counterOids()), 2, 5000)) {
      if (action.kind !== 'place') continue;
      const order = JSON.parse(action.body) as Record<string, string>;
      expect(order).toMatchObject({ product_id: 'BTC-USDT', client_oid: action.clientOid });
      const size = new Big(order.size!);
      expect(size.gte('0.0002') && size.lte('0.002') && size.mod('0.0001').eq(0)).toBe(true);
      if (order.type === 'market') {
        expect(action.rests).toBe(false);
        continue;
      }
      const price = new Big(order.price!);
      expect(price.mod('0.01').eq(0)).toBe(true);
      expect(price.minus(mid).abs().lte('0.50')).toBe(true);
      if (action.rests) {
        expect(order.time_in_force).toBe('GTC');
        expect(order.side === 'buy' ? price.lt(mid) : price.gt(mid)).toBe(true);
      } else {
        expect(order.time_in_force).toBe('IOC');
        expect(order.side === 'buy' ? price.gte(mid) : price.lte(mid)).toBe(true);
      }
    }
  });

  it('cancels only acknowledged resting orders, oldest first, each once', () => {
    const mix = new OrderMix(market, options, 1, counterOids());
    const rested: string[] = [];
    const canceled: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const action = mix.next(0);
      if (action.kind === 'cancel') canceled.push(action.clientOid);
      else if (action.rests && i % 3 !== 0) {
        mix.rested(0, action.clientOid); // every third resting order is "refused" and never acknowledged
        rested.push(action.clientOid);
      }
    }
    expect(canceled.length).toBeGreaterThan(100);
    expect(canceled).toEqual(rested.slice(0, canceled.length));
  });

  it('keeps each user under maxOpenPerUser by cancelling instead of adding', () => {
    const mix = new OrderMix(market, { ...options, weights: { passive: 1, crossing: 0, cancel: 0 }, maxOpenPerUser: 5 }, 2, counterOids());
    drive(mix, 2, 1000);
    expect(mix.openOrders(0)).toBeLessThanOrEqual(5);
    expect(mix.openOrders(1)).toBeLessThanOrEqual(5);
  });

  it('refuses weights without a positive sum and a spread reaching below zero', () => {
    expect(() => new OrderMix(market, { ...options, weights: { passive: 0, crossing: 0, cancel: 0 } }, 1)).toThrow('weights');
    expect(() => new OrderMix({ ...market, midSteps: 50 }, options, 1)).toThrow('spreadSteps');
  });
});
