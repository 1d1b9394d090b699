import type {
  CancelAllCommand,
  CancelByClientOidCommand,
  CancelOrderCommand,
  PlaceOrderCommand,
  SequencedCommand,
} from '@sd/domain/exchange/command';
import type { CommandOutcome, ExchangeEvent } from '@sd/domain/exchange/event';
import { REJECTIONS, type RejectionCode } from '@sd/domain/exchange/rejection';
import type { EngineSnapshot } from '@sd/domain/exchange/snapshot';
import type { UserAccount } from '../ledger/ledger';
import { ProductCatalog } from '../catalog/product-catalog';
import { MatchBuffer, MatchEnd, MatchQuote, matchOrder, quoteOrder } from '../matching/matcher';
import { Order } from '../matching/order';
import { feeFor, MAX_SAFE, notionalWithinFunds } from '../money/scaled-math';
import { buyHold, Clearing } from './clearing';
import { EngineState, type EngineOptions, type ProductState } from './engine-state';
import { closeBook, emitBalances, emitOpen, emitReceived } from './engine-events';
import { loadSnapshot, takeSnapshot } from './engine-snapshot';
import * as views from './engine-views';
import { deposit, transfer, withdraw } from './funds';
import { listProduct, setProductFees, setProductStatus } from './market';
import { statusRefuses, validateOrder } from './order-rules';

export type { EngineOptions } from './engine-state';
export type { BalanceView, BookView, Level2Row, Level3Row, OpenOrderView } from './engine-views';

/**
 * The trading engine: a deterministic, single-writer state machine over sequenced commands.
 * It owns balances (asset), books (matching), order lifecycle (order) and settlement
 * (clearing). It never reads a clock or a random source, and applies nothing before the
 * command is fully validated, so a rejection leaves the state untouched and replaying the
 * same commands always rebuilds the same state.
 *
 * This file is dispatch: which command does what to the state (`EngineState`). Settlement is
 * `Clearing`, what the state shows is `engine-views`, its saved form `engine-snapshot`.
 *
 * Money is scaled integers: prices in ticks, sizes in lots, balances in minor units.
 * Holds: a buy holds notional at its limit plus the worst-case fee (see `buyHold`), a sell
 * holds its base size, a market buy by funds holds its funds, a market buy by size holds the
 * exact cost of walking the book now. A resting order's hold is cut to what its remaining
 * size can still cost after every change (`trimHold`); the rest returns when it is done.
 * Events and views carry integers in minor units; delivery formats them (money/decimal).
 */
export class ExchangeEngine {
  private readonly state: EngineState;
  private readonly clearing: Clearing;
  private readonly matches = new MatchBuffer();
  private readonly quote = new MatchQuote();

  /** Starts from `catalog` (the market's genesis, as configured); the engine keeps a copy of its own. */
  constructor(catalog: ProductCatalog, options: EngineOptions = {}) {
    this.state = new EngineState(catalog.copy(), options);
    this.clearing = new Clearing(this.state);
  }

  /** Rebuilds an engine from a snapshot; the snapshot's market wins over `catalog`, which only older snapshots need. */
  static restore(catalog: ProductCatalog, snapshot: EngineSnapshot, options: EngineOptions = {}): ExchangeEngine {
    const engine = new ExchangeEngine(snapshot.market === null ? catalog : ProductCatalog.from(snapshot.market), options);
    loadSnapshot(engine.state, snapshot);
    return engine;
  }

  get lastSequence(): number {
    return this.state.sequence;
  }

  get lastTimestamp(): number {
    return this.state.timestamp;
  }

  /** The currencies and products this engine trades. Read it; only the engine changes it. */
  get catalog(): ProductCatalog {
    return this.state.catalog;
  }

  /** Applies the next command and reports what it did. */
  apply(entry: SequencedCommand): CommandOutcome {
    const events: ExchangeEvent[] = [];
    this.state.events = events;
    const code = this.execute(entry);
    this.state.events = null;
    const command = entry.command;
    return {
      sequence: entry.sequence,
      timestamp: entry.timestamp,
      command,
      orderId: command.type === 'place' && code === null ? entry.sequence : null,
      rejection: code === null ? null : { code, message: REJECTIONS[code].message },
      events,
    };
  }

  /** Applies the next command without building events: recovery and standbys. */
  replay(entry: SequencedCommand): void {
    this.execute(entry);
  }

  /** Full state after `lastSequence`, in a stable order (see EngineSnapshot). */
  snapshot(): EngineSnapshot {
    return takeSnapshot(this.state);
  }

  // ---- read views (integers, see engine-views) ---------------------------------------

  balances(userId: string): views.BalanceView[] {
    return views.balances(this.state, userId);
  }

  order(orderId: number): views.OpenOrderView | null {
    return views.openOrder(this.state, orderId);
  }

  openOrders(userId: string, productId?: string): views.OpenOrderView[] {
    return views.openOrders(this.state, userId, productId);
  }

  level2(productId: string, depth = Infinity): views.BookView<views.Level2Row> | null {
    return views.level2(this.state, productId, depth);
  }

  level3(productId: string): views.BookView<views.Level3Row> | null {
    return views.level3(this.state, productId);
  }

  // ---- dispatch ----------------------------------------------------------------------

  private execute(entry: SequencedCommand): RejectionCode | null {
    const state = this.state;
    if (entry.sequence !== state.sequence + 1) {
      throw new Error(`engine expects sequence ${state.sequence + 1}, got ${entry.sequence}`);
    }
    state.sequence = entry.sequence;
    state.timestamp = entry.timestamp;
    state.ledger.begin(entry.sequence);
    const command = entry.command;
    let code: RejectionCode | null;
    switch (command.type) {
      case 'place':
        code = this.place(command);
        break;
      case 'cancel':
        code = this.cancel(command);
        break;
      case 'cancel_client_oid':
        code = this.cancelByClientOid(command);
        break;
      case 'cancel_all':
        code = this.cancelAll(command);
        break;
      case 'deposit':
        code = deposit(this.state, command);
        break;
      case 'withdraw':
        code = withdraw(this.state, command);
        break;
      case 'transfer':
        code = transfer(this.state, command);
        break;
      case 'list_product':
        code = listProduct(state, command);
        break;
      case 'set_product_fees':
        code = setProductFees(state, this.clearing, command);
        break;
      case 'set_product_status':
        code = setProductStatus(state, this.clearing, command);
        break;
    }
    if (code === null && state.events !== null) emitBalances(state);
    return code;
  }

  // ---- order entry -------------------------------------------------------------------

  private place(cmd: PlaceOrderCommand): RejectionCode | null {
    const state = this.state;
    const product = state.productById.get(cmd.productId);
    if (product === undefined) return 'UNKNOWN_PRODUCT';
    const spec = product.spec;
    const invalid = statusRefuses(cmd, spec) ?? validateOrder(cmd, spec);
    if (invalid !== null) return invalid;
    const user = state.ledger.find(cmd.userId);
    if (user === undefined) return 'INSUFFICIENT_FUNDS';
    if (cmd.clientOid !== null && state.clientOids.isTaken(user, cmd.clientOid)) return 'DUPLICATE_CLIENT_OID';

    const book = product.book;
    const isBuy = cmd.side === 'buy';
    const isLimit = cmd.orderType === 'limit';
    const byFunds = !isLimit && cmd.funds > 0;
    const lotTickUnits = spec.lotTickUnits;
    const limit = isLimit ? cmd.price : isBuy ? Infinity : 0;
    const order = new Order(
      state.sequence,
      user.index,
      user.id,
      spec.index,
      cmd.side,
      cmd.orderType,
      cmd.price,
      cmd.size,
      cmd.size,
      isLimit ? cmd.timeInForce : 'IOC',
      cmd.postOnly,
      cmd.stp,
      cmd.clientOid,
      state.timestamp,
    );
    if (isLimit && cmd.postOnly) {
      const best = book.opposite(cmd.side).best();
      if (best !== undefined && (isBuy ? best.price <= cmd.price : best.price >= cmd.price)) return 'POST_ONLY_WOULD_CROSS';
    }
    if (isLimit && cmd.timeInForce === 'FOK') {
      if (quoteOrder(book, order, limit, lotTickUnits, MAX_SAFE, this.quote).lots < cmd.size) return 'FOK_NOT_FILLABLE';
    }
    const currency = isBuy ? spec.quote.index : spec.base.index;
    const available = user.available[currency] as number;
    let hold: number;
    if (!isBuy) {
      hold = cmd.size * spec.lotUnits;
    } else if (isLimit) {
      hold = buyHold(spec, cmd.price, cmd.size);
    } else if (byFunds) {
      hold = cmd.funds;
    } else {
      const quote = quoteOrder(book, order, limit, lotTickUnits, Math.min(available, spec.maxNotional), this.quote);
      if (quote.overCap) return quote.notional > spec.maxNotional ? 'ORDER_TOO_LARGE' : 'INSUFFICIENT_FUNDS';
      hold = quote.notional + feeFor(quote.notional, spec.takerFeePpm);
    }
    if (available < hold) return 'INSUFFICIENT_FUNDS';

    // Accepted: from here on the command changes state.
    order.hold = hold;
    state.ledger.hold(user, currency, hold);
    if (cmd.clientOid !== null) state.clientOids.remember(user, cmd.clientOid);
    if (byFunds) order.notionalLeft = notionalWithinFunds(cmd.funds, spec.takerFeePpm);
    if (state.events !== null) emitReceived(state, spec, order, cmd.funds);

    book.begin(state.sequence);
    const end = matchOrder(book, order, limit, byFunds, lotTickUnits, this.matches);
    const clearing = this.clearing;
    clearing.settle(product, order, this.matches);

    if (end === MatchEnd.SelfTrade) {
      clearing.finish(product, order, 'self_trade');
    } else if (!isLimit) {
      clearing.finish(product, order, end === MatchEnd.Exhausted ? null : 'no_liquidity');
    } else if (order.remaining === 0) {
      clearing.finish(product, order, null);
    } else if (order.timeInForce === 'GTC') {
      clearing.trimHold(spec, order);
      this.rest(product, user, order);
    } else {
      clearing.finish(product, order, 'ioc');
    }
    closeBook(this.state, product);
    return null;
  }

  private rest(product: ProductState, user: UserAccount, order: Order): void {
    product.book.add(order);
    this.state.orders.set(order.id, order);
    user.link(order);
    if (this.state.events !== null) emitOpen(this.state, product.spec, order);
  }

  // ---- cancels -----------------------------------------------------------------------

  private cancel(cmd: CancelOrderCommand): RejectionCode | null {
    const order = this.state.orders.get(cmd.orderId);
    if (order === undefined || order.userId !== cmd.userId) return 'ORDER_NOT_FOUND';
    this.cancelOne(order);
    return null;
  }

  private cancelByClientOid(cmd: CancelByClientOidCommand): RejectionCode | null {
    const order = this.state.ledger.find(cmd.userId)?.openByClientOid?.get(cmd.clientOid);
    if (order === undefined) return 'ORDER_NOT_FOUND';
    this.cancelOne(order);
    return null;
  }

  private cancelOne(order: Order): void {
    const product = this.state.products[order.productIndex] as ProductState;
    product.book.begin(this.state.sequence);
    product.book.remove(order);
    this.clearing.finish(product, order, 'user');
    closeBook(this.state, product);
  }

  private cancelAll(cmd: CancelAllCommand): RejectionCode | null {
    const state = this.state;
    let only: ProductState | undefined;
    if (cmd.productId !== null) {
      only = state.productById.get(cmd.productId);
      if (only === undefined) return 'UNKNOWN_PRODUCT';
    }
    const user = state.ledger.find(cmd.userId);
    if (user === undefined) return null;
    for (const product of state.products) product.book.begin(state.sequence);
    for (let order = user.ordersHead; order !== null; ) {
      const next = order.userNext;
      const product = state.products[order.productIndex] as ProductState;
      if (only === undefined || only === product) {
        product.book.remove(order);
        this.clearing.finish(product, order, 'user');
      }
      order = next;
    }
    for (const product of state.products) closeBook(this.state, product);
    return null;
  }

}
