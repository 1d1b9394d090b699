import { randomUUID } from 'node:crypto';
import type { Grid } from '../decimal';
import { Prng } from '@sd/exchange/usecase/core/prng';

/** What the generator trades: a product's grids and the mid it quotes around, in price steps. */
export interface MarketSpec {
  productId: string;
  price: Grid;
  size: Grid;
  midSteps: number;
  /** Smallest order size, in size steps. */
  minSizeSteps: number;
}

export interface MixOptions {
  /** Shares of the flow; they need not add up to 1 (they are normalised). */
  weights: { passive: number; crossing: number; cancel: number };
  /** Passive orders rest 1..spreadSteps price steps away from the mid; crossing limits reach as far through it. */
  spreadSteps: number;
  /** Order sizes are minSize × 1..maxSizeMultiple. */
  maxSizeMultiple: number;
  /** With this many orders open for a user, the next passive order is a cancel instead, so the book stays bounded. */
  maxOpenPerUser: number;
  seed: number;
}

export const DEFAULT_MIX: Omit<MixOptions, 'seed'> = {
  weights: { passive: 0.6, crossing: 0.1, cancel: 0.3 },
  spreadSteps: 50,
  maxSizeMultiple: 10,
  maxOpenPerUser: 200,
};

export type LoadAction =
  /** `rests`: a GTC limit that stays on the book unless something crosses it. */
  | { kind: 'place'; user: number; clientOid: string; body: string; rests: boolean }
  | { kind: 'cancel'; user: number; clientOid: string };

/**
 * The load test's order flow: mostly GTC limit orders resting around the mid, some orders
 * crossing it (market, or limit IOC through the mid), and cancels of the user's oldest resting
 * orders (by client_oid, so no response body needs parsing). A cancel of an order that a
 * crossing order filled meanwhile is refused as ORDER_NOT_FOUND, an expected business answer.
 */
export class OrderMix {
  private readonly random: Prng;
  private readonly passiveUpTo: number;
  private readonly crossingUpTo: number;
  private readonly open: ClientOidQueue[];

  constructor(
    private readonly market: MarketSpec,
    private readonly options: MixOptions,
    users: number,
    private readonly newClientOid: () => string = randomUUID,
  ) {
    const { passive, crossing, cancel } = options.weights;
    const total = passive + crossing + cancel;
    if (!(total > 0) || [passive, crossing, cancel].some((w) => w < 0)) throw new Error('mix weights must be non-negative with a positive sum');
    if (market.midSteps <= options.spreadSteps) throw new Error('the mid must be more than spreadSteps price steps above zero');
    this.passiveUpTo = passive / total;
    this.crossingUpTo = (passive + crossing) / total;
    this.random = new Prng(options.seed);
    this.open = Array.from({ length: users }, () => new ClientOidQueue());
  }

  next(user: number): LoadAction {
    const roll = this.random.next();
    if (roll >= this.passiveUpTo && roll < this.crossingUpTo) return this.crossing(user);
    const open = this.open[user]!;
    if (roll >= this.crossingUpTo || open.size >= this.options.maxOpenPerUser) {
      const clientOid = open.shift();
      if (clientOid !== undefined) return { kind: 'cancel', user, clientOid };
    }
    return this.passive(user);
  }

  /** Called when a resting order was acknowledged: it becomes a cancel candidate. */
  rested(user: number, clientOid: string): void {
    this.open[user]!.push(clientOid);
  }

  openOrders(user: number): number {
    return this.open[user]!.size;
  }

  private passive(user: number): LoadAction {
    const side = this.random.chance(0.5) ? 'buy' : 'sell';
    const away = this.random.int(1, this.options.spreadSteps);
    const priceSteps = side === 'buy' ? this.market.midSteps - away : this.market.midSteps + away;
    return this.place(user, { side, type: 'limit', price: this.market.price.format(priceSteps), size: this.size(), time_in_force: 'GTC' }, true);
  }

  private crossing(user: number): LoadAction {
    const side = this.random.chance(0.5) ? 'buy' : 'sell';
    if (this.random.chance(0.5)) return this.place(user, { side, type: 'market', size: this.size() }, false);
    const through = this.random.int(0, this.options.spreadSteps);
    const priceSteps = side === 'buy' ? this.market.midSteps + through : this.market.midSteps - through;
    return this.place(user, { side, type: 'limit', price: this.market.price.format(priceSteps), size: this.size(), time_in_force: 'IOC' }, false);
  }

  private size(): string {
    return this.market.size.format(this.market.minSizeSteps * this.random.int(1, this.options.maxSizeMultiple));
  }

  private place(user: number, order: Record<string, string>, rests: boolean): LoadAction {
    const clientOid = this.newClientOid();
    // Every value is an id, a side, a type or a decimal: nothing JSON would escape.
    let body = `{"product_id":"${this.market.productId}"`;
    for (const field in order) body += `,"${field}":"${order[field]}"`;
    body += `,"client_oid":"${clientOid}"}`;
    return { kind: 'place', user, clientOid, body, rests };
  }
}

/** FIFO of client_oids with O(1) push and shift. */
class ClientOidQueue {
  private items: string[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: string): void {
    this.items.push(item);
  }

  shift(): string | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
