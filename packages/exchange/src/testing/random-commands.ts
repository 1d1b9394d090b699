import type { ExchangeCommand, PlaceOrderCommand, SelfTradePrevention, TimeInForce } from '@sd/domain/exchange/command';
import type { ProductCatalog, ProductSpec } from '../usecase/core/catalog/product-catalog';
import { Prng } from './prng';

export interface RandomCommandOptions {
  seed: number;
  users: number;
  /** Ticks each side of a product's mid price that limit prices spread over. Default 40. */
  band?: number;
}

const TIME_IN_FORCE: readonly TimeInForce[] = ['GTC', 'GTC', 'GTC', 'GTC', 'IOC', 'FOK'];
const STP: readonly SelfTradePrevention[] = ['dc', 'co', 'cn', 'cb'];

/**
 * A seeded stream of commands over every product and command type, valid and invalid:
 * crossing and resting limits, every time in force, post-only, all self-trade modes, market
 * orders by size and funds, cancels of live, done and unknown orders, reused client oids,
 * deposits, withdrawals and transfers. `next(sequence)` must be called with the sequence the
 * command will get, so cancels can name orders that exist.
 */
export class RandomCommands {
  private readonly prng: Prng;
  private readonly users: string[];
  private readonly band: number;
  private readonly placed: Array<{ orderId: number; userId: string }> = [];
  private readonly mids: number[];
  private pending: ExchangeCommand[];

  constructor(
    private readonly catalog: ProductCatalog,
    options: RandomCommandOptions,
  ) {
    this.prng = new Prng(options.seed);
    this.users = Array.from({ length: options.users }, (_, i) => `user-${i}`);
    this.band = options.band ?? 40;
    // Mid prices: a round number of quote units per base unit, in ticks.
    this.mids = catalog.products.map((p) => Math.max(this.band * 2, Math.round(midQuote(p) / p.tickUnits)));
    this.pending = this.users.flatMap((userId) =>
      catalog.currencies.map((currency) => ({ type: 'deposit' as const, userId, currency: currency.id, amount: 10 ** (currency.scale + 3) })),
    );
  }

  next(sequence: number): ExchangeCommand {
    const queued = this.pending.shift();
    if (queued !== undefined) return queued;
    const r = this.prng;
    const roll = r.next();
    const userId = r.pick(this.users);
    if (roll < 0.55) {
      this.placed.push({ orderId: sequence, userId });
      if (this.placed.length > 2000) this.placed.splice(0, 1000);
      return this.place(userId);
    }
    if (roll < 0.8) {
      const target = this.recentOrder();
      // Mostly the owner cancels; sometimes someone else tries, or an id that never existed.
      return { type: 'cancel', userId: r.chance(0.9) ? target.userId : userId, orderId: target.orderId };
    }
    if (roll < 0.85) return { type: 'cancel_client_oid', userId, clientOid: `oid-${r.int(0, 30)}` };
    if (roll < 0.86) return { type: 'cancel_all', userId, productId: r.chance(0.5) ? null : r.pick(this.catalog.products).id };
    const currency = r.pick(this.catalog.currencies);
    const amount = r.chance(0.05) ? 0 : r.int(1, 10 ** (currency.scale + 3));
    if (roll < 0.92) return { type: 'deposit', userId, currency: currency.id, amount };
    if (roll < 0.96) return { type: 'withdraw', userId, currency: currency.id, amount };
    return { type: 'transfer', fromUserId: userId, toUserId: r.pick(this.users), currency: currency.id, amount };
  }

  private place(userId: string): PlaceOrderCommand {
    const r = this.prng;
    const product = r.pick(this.catalog.products);
    const mid = this.mids[product.index] as number;
    const side = r.chance(0.5) ? 'buy' : 'sell';
    const size = r.int(product.minSize, product.minSize * 400);
    const stp = r.pick(STP);
    const clientOid = r.chance(0.2) ? `oid-${r.int(0, 30)}` : null;
    const productId = r.chance(0.01) ? 'NOPE-USDT' : product.id;
    if (r.chance(0.2)) {
      const byFunds = side === 'buy' && r.chance(0.5);
      const funds = byFunds ? r.int(product.minFunds, product.minFunds * 200) : 0;
      return { type: 'place', userId, productId, side, orderType: 'market', price: 0, size: byFunds ? 0 : size, funds, timeInForce: 'IOC', postOnly: false, stp, clientOid };
    }
    // Buys lean below the mid and sells above, with a few percent crossing deep.
    const offset = r.int(-this.band, this.band);
    const price = r.chance(0.01) ? 0 : mid + (side === 'buy' ? offset - 3 : offset + 3);
    const timeInForce = r.pick(TIME_IN_FORCE);
    const postOnly = timeInForce === 'GTC' && r.chance(0.1);
    return { type: 'place', userId, productId, side, orderType: 'limit', price, size, funds: 0, timeInForce, postOnly, stp, clientOid };
  }

  /** Recent orders are likelier targets, as with real clients. */
  private recentOrder(): { orderId: number; userId: string } {
    const r = this.prng;
    if (this.placed.length === 0 || r.chance(0.05)) return { orderId: r.int(1, 1_000_000), userId: r.pick(this.users) };
    return this.placed[this.placed.length - 1 - Math.floor(r.next() ** 3 * this.placed.length)]!;
  }
}

/** Mid price in quote minor units: 20,000 for a fiat-like quote (scale <= 6), else 0.05. */
function midQuote(product: ProductSpec): number {
  return product.quote.scale <= 6 ? 20_000 * 10 ** product.quote.scale : 5 * 10 ** (product.quote.scale - 2);
}
