import type {
  CancelAllCommand,
  CancelByClientOidCommand,
  CancelOrderCommand,
  DepositCommand,
  OrderSide,
  PlaceOrderCommand,
  SelfTradePrevention,
  SequencedCommand,
  TimeInForce,
  TransferCommand,
  WithdrawCommand,
} from '@sd/domain/exchange/command';
import type { CancelReason, CommandOutcome, ExchangeEvent } from '@sd/domain/exchange/event';
import { REJECTIONS, type RejectionCode } from '@sd/domain/exchange/rejection';
import type { EngineSnapshot, SnapshotOrder } from '@sd/domain/exchange/snapshot';
import { Ledger, type UserAccount } from '../ledger/ledger';
import { formatPrice, formatSize, type ProductCatalog, type ProductSpec } from '../catalog/product-catalog';
import { MatchBuffer, MatchEnd, MatchQuote, MatchStep, matchOrder, quoteOrder } from '../matching/matcher';
import { Order } from '../matching/order';
import { OrderBook } from '../matching/order-book';
import { formatUnits } from '../money/decimal-format';
import { feeFor, feeIncrement, MAX_SAFE, notionalWithinFunds, safeMul } from '../money/scaled-math';
import { ClientOidRetention } from './client-oid-retention';

export interface EngineOptions {
  /** User that receives every fee, so balances always sum to the supply. Default `exchange-fees`. */
  feeAccountId?: string;
  /** Client order ids remembered for duplicate detection. Default 100,000. Part of the state: keep it fixed across restarts. */
  clientOidRetention?: number;
}

interface ProductState {
  readonly spec: ProductSpec;
  readonly book: OrderBook;
  bookSequence: number;
}

/** A resting order as the read side shows it. */
export interface OpenOrderView {
  orderId: string;
  clientOid: string | null;
  userId: string;
  productId: string;
  side: OrderSide;
  price: string;
  size: string;
  remainingSize: string;
  filledSize: string;
  executedValue: string;
  fillFees: string;
  postOnly: boolean;
  stp: SelfTradePrevention;
  timeInForce: TimeInForce;
  createdAt: number;
}

export interface BalanceView {
  currency: string;
  available: string;
  hold: string;
}

export interface BookView<Row> {
  productId: string;
  bookSequence: number;
  bids: Row[];
  asks: Row[];
}

/**
 * The trading engine: a deterministic, single-writer state machine over sequenced commands.
 * It owns balances (asset), books (matching), order lifecycle (order) and settlement
 * (clearing). It never reads a clock or a random source, and applies nothing before the
 * command is fully validated, so a rejection leaves the state untouched and replaying the
 * same commands always rebuilds the same state.
 *
 * Money is scaled integers: prices in ticks, sizes in lots, balances in minor units.
 * Holds: a buy holds notional at its limit plus the worst-case fee (see `buyHold`), a sell
 * holds its base size, a market buy by funds holds its funds, a market buy by size holds the
 * exact cost of walking the book now. A resting order's hold is cut to what its remaining
 * size can still cost after every change (`trimHold`); the rest returns when it is done.
 * Events carry integers in minor units; `EventFormatter` turns them into decimal strings.
 */
export class ExchangeEngine {
  private readonly products: ProductState[];
  private readonly productById = new Map<string, ProductState>();
  private readonly ledger: Ledger;
  private readonly orders = new Map<number, Order>();
  private readonly clientOids: ClientOidRetention;
  private readonly matches = new MatchBuffer();
  private readonly quote = new MatchQuote();
  private readonly feeAccountId: string;
  private feeAccount: UserAccount | undefined;
  private sequence = 0;
  private timestamp = 0;
  private tradeId = 0;
  /** Events of the command being applied; null while replaying, when nobody reads them. */
  private events: ExchangeEvent[] | null = null;

  constructor(
    private readonly catalog: ProductCatalog,
    options: EngineOptions = {},
  ) {
    this.ledger = new Ledger(catalog.currencies.length);
    this.clientOids = new ClientOidRetention(options.clientOidRetention ?? 100_000);
    this.feeAccountId = options.feeAccountId ?? 'exchange-fees';
    this.products = catalog.products.map((spec) => ({ spec, book: new OrderBook(), bookSequence: 0 }));
    for (const product of this.products) this.productById.set(product.spec.id, product);
  }

  /** Rebuilds an engine from a snapshot taken with the same catalog and options. */
  static restore(catalog: ProductCatalog, snapshot: EngineSnapshot, options: EngineOptions = {}): ExchangeEngine {
    const engine = new ExchangeEngine(catalog, options);
    engine.load(snapshot);
    return engine;
  }

  get lastSequence(): number {
    return this.sequence;
  }

  get lastTimestamp(): number {
    return this.timestamp;
  }

  /** Applies the next command and reports what it did. */
  apply(entry: SequencedCommand): CommandOutcome {
    const events: ExchangeEvent[] = [];
    this.events = events;
    const code = this.execute(entry);
    this.events = null;
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

  private execute(entry: SequencedCommand): RejectionCode | null {
    if (entry.sequence !== this.sequence + 1) {
      throw new Error(`engine expects sequence ${this.sequence + 1}, got ${entry.sequence}`);
    }
    this.sequence = entry.sequence;
    this.timestamp = entry.timestamp;
    this.ledger.begin(entry.sequence);
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
        code = this.deposit(command);
        break;
      case 'withdraw':
        code = this.withdraw(command);
        break;
      case 'transfer':
        code = this.transfer(command);
        break;
    }
    if (code === null && this.events !== null) this.emitBalances();
    return code;
  }

  // ---- order entry -------------------------------------------------------------------

  private place(cmd: PlaceOrderCommand): RejectionCode | null {
    const product = this.productById.get(cmd.productId);
    if (product === undefined) return 'UNKNOWN_PRODUCT';
    const spec = product.spec;
    if (spec.status !== 'online') return 'PRODUCT_NOT_TRADING';
    const invalid = validateOrder(cmd, spec);
    if (invalid !== null) return invalid;
    const user = this.ledger.find(cmd.userId);
    if (user === undefined) return 'INSUFFICIENT_FUNDS';
    if (cmd.clientOid !== null && this.clientOids.isTaken(user, cmd.clientOid)) return 'DUPLICATE_CLIENT_OID';

    const book = product.book;
    const isBuy = cmd.side === 'buy';
    const isLimit = cmd.orderType === 'limit';
    const byFunds = !isLimit && cmd.funds > 0;
    const lotTickUnits = spec.lotTickUnits;
    const limit = isLimit ? cmd.price : isBuy ? Infinity : 0;
    const order = new Order(
      this.sequence,
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
      this.timestamp,
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
    this.ledger.hold(user, currency, hold);
    if (cmd.clientOid !== null) this.clientOids.remember(user, cmd.clientOid);
    if (byFunds) order.notionalLeft = notionalWithinFunds(cmd.funds, spec.takerFeePpm);
    if (this.events !== null) this.emitReceived(spec, order, cmd.funds);

    book.begin(this.sequence);
    const end = matchOrder(book, order, limit, byFunds, lotTickUnits, this.matches);
    this.settle(product, order);

    if (end === MatchEnd.SelfTrade) {
      this.finish(product, order, 'self_trade');
    } else if (!isLimit) {
      this.finish(product, order, end === MatchEnd.Exhausted ? null : 'no_liquidity');
    } else if (order.remaining === 0) {
      this.finish(product, order, null);
    } else if (order.timeInForce === 'GTC') {
      this.trimHold(spec, order);
      this.rest(product, user, order);
    } else {
      this.finish(product, order, 'ioc');
    }
    this.closeBook(product);
    return null;
  }

  /** Settles what the match recorded, in order: trades and self-trade cancels or decrements. */
  private settle(product: ProductState, taker: Order): void {
    const m = this.matches;
    for (let i = 0; i < m.length; i++) {
      const maker = m.makers[i] as Order;
      const lots = m.lots[i] as number;
      switch (m.steps[i]) {
        case MatchStep.Fill:
          this.fill(product, maker, taker, lots, m.prices[i] as number);
          break;
        case MatchStep.SelfTradeCancel:
          this.finish(product, maker, 'self_trade');
          break;
        case MatchStep.SelfTradeDecrement:
          this.trimHold(product.spec, maker);
          if (this.events !== null) this.emitChange(product.spec, maker, maker.remaining + lots);
          break;
      }
    }
  }

  /** Clearing of one trade: the buyer pays notional + fee from its hold, the seller its base. */
  private fill(product: ProductState, maker: Order, taker: Order, lots: number, price: number): void {
    const spec = product.spec;
    const ledger = this.ledger;
    const quote = spec.quote.index;
    const base = spec.base.index;
    const notional = lots * price * spec.lotTickUnits;
    const baseAmount = lots * spec.lotUnits;
    const makerFee = feeIncrement(maker.makerNotional, notional, spec.makerFeePpm);
    const takerFee = feeIncrement(taker.takerNotional, notional, spec.takerFeePpm);
    maker.makerNotional += notional;
    taker.takerNotional += notional;
    const takerBuys = taker.side === 'buy';
    const buyer = takerBuys ? taker : maker;
    const seller = takerBuys ? maker : taker;
    const buyerFee = takerBuys ? takerFee : makerFee;
    const sellerFee = takerBuys ? makerFee : takerFee;
    const buyerAccount = ledger.users[buyer.owner] as UserAccount;
    const sellerAccount = ledger.users[seller.owner] as UserAccount;

    buyer.hold -= notional + buyerFee;
    ledger.spendHold(buyerAccount, quote, notional + buyerFee);
    ledger.credit(buyerAccount, base, baseAmount);
    seller.hold -= baseAmount;
    ledger.spendHold(sellerAccount, base, baseAmount);
    ledger.credit(sellerAccount, quote, notional - sellerFee);
    if (makerFee + takerFee > 0) {
      this.feeAccount ??= ledger.open(this.feeAccountId);
      ledger.credit(this.feeAccount, quote, makerFee + takerFee);
    }

    maker.filled += lots;
    maker.executedValue += notional;
    maker.fees += makerFee;
    taker.filled += lots;
    taker.executedValue += notional;
    taker.fees += takerFee;
    this.tradeId++;
    if (this.events !== null) {
      this.events.push({
        type: 'match',
        tradeId: this.tradeId,
        productId: spec.id,
        side: maker.side,
        price: price * spec.tickUnits,
        size: baseAmount,
        funds: notional,
        makerOrderId: maker.id,
        takerOrderId: taker.id,
        makerUserId: maker.userId,
        takerUserId: taker.userId,
        makerFee,
        takerFee,
      });
    }
    if (maker.remaining === 0) this.finish(product, maker, null);
    else if (maker.side === 'buy') this.trimHold(spec, maker);
  }

  /**
   * Cuts a live limit order's hold down to what its remaining size can still cost: the base
   * it sells, or `buyHold` of the remaining lots. Price improvement, a maker fee below the
   * held rate and self-trade decrements are returned this way as soon as they happen.
   */
  private trimHold(spec: ProductSpec, order: Order): void {
    const needed = order.side === 'sell' ? order.remaining * spec.lotUnits : buyHold(spec, order.price, order.remaining);
    if (order.hold <= needed) return;
    const release = order.hold - needed;
    order.hold = needed;
    const account = this.ledger.users[order.owner] as UserAccount;
    this.ledger.release(account, order.side === 'buy' ? spec.quote.index : spec.base.index, release);
  }

  private rest(product: ProductState, user: UserAccount, order: Order): void {
    product.book.add(order);
    this.orders.set(order.id, order);
    user.link(order);
    if (this.events !== null) {
      this.events.push({
        type: 'open',
        orderId: order.id,
        userId: order.userId,
        productId: product.spec.id,
        side: order.side,
        price: order.price * product.spec.tickUnits,
        remainingSize: order.remaining * product.spec.lotUnits,
      });
    }
  }

  /** Ends an order (already off the book): returns its unspent hold. `reason` null = filled. */
  private finish(product: ProductState, order: Order, reason: CancelReason | null): void {
    const spec = product.spec;
    const account = this.ledger.users[order.owner] as UserAccount;
    if (order.hold > 0) {
      this.ledger.release(account, order.side === 'buy' ? spec.quote.index : spec.base.index, order.hold);
      order.hold = 0;
    }
    if (this.orders.get(order.id) === order) {
      this.orders.delete(order.id);
      account.unlink(order);
    }
    if (this.events !== null) {
      const byFunds = order.type === 'market' && order.size === 0;
      this.events.push({
        type: 'done',
        orderId: order.id,
        userId: order.userId,
        productId: spec.id,
        side: order.side,
        orderType: order.type,
        price: order.type === 'limit' ? order.price * spec.tickUnits : null,
        remainingSize: byFunds ? null : order.remaining * spec.lotUnits,
        filledSize: order.filled * spec.lotUnits,
        executedValue: order.executedValue,
        fillFees: order.fees,
        reason: reason === null ? 'filled' : 'canceled',
        cancelReason: reason,
      });
    }
  }

  // ---- cancels -----------------------------------------------------------------------

  private cancel(cmd: CancelOrderCommand): RejectionCode | null {
    const order = this.orders.get(cmd.orderId);
    if (order === undefined || order.userId !== cmd.userId) return 'ORDER_NOT_FOUND';
    this.cancelOne(order);
    return null;
  }

  private cancelByClientOid(cmd: CancelByClientOidCommand): RejectionCode | null {
    const order = this.ledger.find(cmd.userId)?.openByClientOid?.get(cmd.clientOid);
    if (order === undefined) return 'ORDER_NOT_FOUND';
    this.cancelOne(order);
    return null;
  }

  private cancelOne(order: Order): void {
    const product = this.products[order.productIndex] as ProductState;
    product.book.begin(this.sequence);
    product.book.remove(order);
    this.finish(product, order, 'user');
    this.closeBook(product);
  }

  private cancelAll(cmd: CancelAllCommand): RejectionCode | null {
    let only: ProductState | undefined;
    if (cmd.productId !== null) {
      only = this.productById.get(cmd.productId);
      if (only === undefined) return 'UNKNOWN_PRODUCT';
    }
    const user = this.ledger.find(cmd.userId);
    if (user === undefined) return null;
    for (const product of this.products) product.book.begin(this.sequence);
    for (let order = user.ordersHead; order !== null; ) {
      const next = order.userNext;
      const product = this.products[order.productIndex] as ProductState;
      if (only === undefined || only === product) {
        product.book.remove(order);
        this.finish(product, order, 'user');
      }
      order = next;
    }
    for (const product of this.products) this.closeBook(product);
    return null;
  }

  // ---- funds -------------------------------------------------------------------------

  private deposit(cmd: DepositCommand): RejectionCode | null {
    const currency = this.catalog.currency(cmd.currency);
    if (currency === undefined) return 'UNKNOWN_CURRENCY';
    if (!isPositiveAmount(cmd.amount)) return 'INVALID_AMOUNT';
    // The supply bound keeps every balance, and every sum of balances, a safe integer.
    if ((this.ledger.supply[currency.index] as number) + cmd.amount > MAX_SAFE) return 'AMOUNT_TOO_LARGE';
    this.ledger.supply[currency.index]! += cmd.amount;
    this.ledger.credit(this.ledger.open(cmd.userId), currency.index, cmd.amount);
    return null;
  }

  private withdraw(cmd: WithdrawCommand): RejectionCode | null {
    const currency = this.catalog.currency(cmd.currency);
    if (currency === undefined) return 'UNKNOWN_CURRENCY';
    if (!isPositiveAmount(cmd.amount)) return 'INVALID_AMOUNT';
    const user = this.ledger.find(cmd.userId);
    if (user === undefined || (user.available[currency.index] as number) < cmd.amount) return 'INSUFFICIENT_FUNDS';
    this.ledger.supply[currency.index]! -= cmd.amount;
    this.ledger.debit(user, currency.index, cmd.amount);
    return null;
  }

  private transfer(cmd: TransferCommand): RejectionCode | null {
    const currency = this.catalog.currency(cmd.currency);
    if (currency === undefined) return 'UNKNOWN_CURRENCY';
    if (!isPositiveAmount(cmd.amount)) return 'INVALID_AMOUNT';
    if (cmd.fromUserId === cmd.toUserId) return 'INVALID_ARGUMENT';
    const from = this.ledger.find(cmd.fromUserId);
    if (from === undefined || (from.available[currency.index] as number) < cmd.amount) return 'INSUFFICIENT_FUNDS';
    this.ledger.debit(from, currency.index, cmd.amount);
    this.ledger.credit(this.ledger.open(cmd.toUserId), currency.index, cmd.amount);
    return null;
  }

  // ---- events ------------------------------------------------------------------------

  /** Counts a book change and emits its level-2 delta. */
  private closeBook(product: ProductState): void {
    const { changed, changedCount } = product.book;
    if (changedCount === 0) return;
    product.bookSequence++;
    if (this.events === null) return;
    const spec = product.spec;
    const changes: Array<[OrderSide, number, number]> = new Array(changedCount);
    for (let i = 0; i < changedCount; i++) {
      const level = changed[i]!;
      changes[i] = [level.side, level.price * spec.tickUnits, level.total * spec.lotUnits];
    }
    this.events.push({ type: 'l2update', productId: spec.id, bookSequence: product.bookSequence, changes });
  }

  private emitBalances(): void {
    const { touchedUsers, touchedCurrencies, touchedCount } = this.ledger;
    for (let i = 0; i < touchedCount; i++) {
      const user = touchedUsers[i] as UserAccount;
      const c = touchedCurrencies[i] as number;
      this.events!.push({
        type: 'balance',
        userId: user.id,
        currency: this.catalog.currencies[c]!.id,
        available: user.available[c] as number,
        hold: user.hold[c] as number,
      });
    }
  }

  private emitReceived(spec: ProductSpec, order: Order, funds: number): void {
    this.events!.push({
      type: 'received',
      orderId: order.id,
      clientOid: order.clientOid,
      userId: order.userId,
      productId: spec.id,
      side: order.side,
      orderType: order.type,
      price: order.type === 'limit' ? order.price * spec.tickUnits : null,
      size: order.size > 0 ? order.size * spec.lotUnits : null,
      funds: funds > 0 ? funds : null,
      timeInForce: order.timeInForce,
      postOnly: order.postOnly,
      stp: order.stp,
    });
  }

  private emitChange(spec: ProductSpec, order: Order, oldSize: number): void {
    this.events!.push({
      type: 'change',
      orderId: order.id,
      userId: order.userId,
      productId: spec.id,
      side: order.side,
      price: order.price * spec.tickUnits,
      oldSize: oldSize * spec.lotUnits,
      newSize: order.remaining * spec.lotUnits,
      reason: 'self_trade',
    });
  }

  // ---- read side ---------------------------------------------------------------------

  balances(userId: string): BalanceView[] {
    const user = this.ledger.find(userId);
    return this.catalog.currencies.map((currency) => ({
      currency: currency.id,
      available: formatUnits(user?.available[currency.index] ?? 0, currency.scale),
      hold: formatUnits(user?.hold[currency.index] ?? 0, currency.scale),
    }));
  }

  order(orderId: string): OpenOrderView | null {
    const order = this.orders.get(Number(orderId));
    return order === undefined || String(order.id) !== orderId ? null : this.view(order);
  }

  openOrders(userId: string, productId?: string): OpenOrderView[] {
    const views: OpenOrderView[] = [];
    for (let order = this.ledger.find(userId)?.ordersHead ?? null; order !== null; order = order.userNext) {
      if (productId === undefined || this.products[order.productIndex]!.spec.id === productId) views.push(this.view(order));
    }
    return views;
  }

  /** Aggregated levels, best first: `[price, size, order count]`. */
  level2(productId: string, depth = Infinity): BookView<[string, string, number]> | null {
    return this.bookView(productId, depth, (spec, level, rows) => {
      rows.push([formatPrice(spec, level.price), formatSize(spec, level.total), level.count]);
    });
  }

  /** Every resting order, best price first then time: `[price, size, order id]`. */
  level3(productId: string): BookView<[string, string, string]> | null {
    return this.bookView(productId, Infinity, (spec, level, rows) => {
      for (let o = level.head; o !== null; o = o.next) rows.push([formatPrice(spec, o.price), formatSize(spec, o.remaining), String(o.id)]);
    });
  }

  private bookView<Row>(
    productId: string,
    depth: number,
    addRows: (spec: ProductSpec, level: { price: number; total: number; count: number; head: Order | null }, rows: Row[]) => void,
  ): BookView<Row> | null {
    const product = this.productById.get(productId);
    if (product === undefined) return null;
    const rows = (levels: ReadonlyArray<{ price: number; total: number; count: number; head: Order | null }>): Row[] => {
      const out: Row[] = [];
      for (let i = levels.length - 1, n = 0; i >= 0 && n < depth; i--, n++) addRows(product.spec, levels[i]!, out);
      return out;
    };
    return { productId, bookSequence: product.bookSequence, bids: rows(product.book.bids.levels), asks: rows(product.book.asks.levels) };
  }

  private view(order: Order): OpenOrderView {
    const spec = this.products[order.productIndex]!.spec;
    return {
      orderId: String(order.id),
      clientOid: order.clientOid,
      userId: order.userId,
      productId: spec.id,
      side: order.side,
      price: formatPrice(spec, order.price),
      size: formatSize(spec, order.size),
      remainingSize: formatSize(spec, order.remaining),
      filledSize: formatSize(spec, order.filled),
      executedValue: formatUnits(order.executedValue, spec.quote.scale),
      fillFees: formatUnits(order.fees, spec.quote.scale),
      postOnly: order.postOnly,
      stp: order.stp,
      timeInForce: order.timeInForce,
      createdAt: order.createdAt,
    };
  }

  // ---- snapshots ---------------------------------------------------------------------

  /** Full state after `lastSequence`, in a stable order (see EngineSnapshot). */
  snapshot(): EngineSnapshot {
    const currencies = this.catalog.currencies;
    const byProduct: SnapshotOrder[][] = this.products.map(() => []);
    // Map iteration is insertion order, which is id order: orders rest when accepted.
    for (const order of this.orders.values()) byProduct[order.productIndex]!.push(snapshotOrder(order));
    return {
      sequence: this.sequence,
      timestamp: this.timestamp,
      lastTradeId: this.tradeId,
      supply: currencies.map((currency) => ({ currency: currency.id, amount: this.ledger.supply[currency.index] as number })),
      accounts: this.ledger.users.flatMap((user) =>
        currencies.map((currency) => ({
          userId: user.id,
          currency: currency.id,
          available: user.available[currency.index] as number,
          hold: user.hold[currency.index] as number,
        })),
      ),
      products: this.products.map((product, i) => ({
        productId: product.spec.id,
        bookSequence: product.bookSequence,
        orders: byProduct[i]!,
      })),
      clientOids: this.clientOids.entries(),
    };
  }

  private load(snapshot: EngineSnapshot): void {
    this.sequence = snapshot.sequence;
    this.timestamp = snapshot.timestamp;
    this.tradeId = snapshot.lastTradeId;
    const currencyIndex = (id: string): number => {
      const currency = this.catalog.currency(id);
      if (currency === undefined) throw new Error(`snapshot names unknown currency ${id}`);
      return currency.index;
    };
    for (const { currency, amount } of snapshot.supply) this.ledger.supply[currencyIndex(currency)] = amount;
    for (const account of snapshot.accounts) {
      const user = this.ledger.open(account.userId);
      user.available[currencyIndex(account.currency)] = account.available;
      user.hold[currencyIndex(account.currency)] = account.hold;
    }
    this.feeAccount = this.ledger.find(this.feeAccountId);
    const resting: Array<{ product: ProductState; order: SnapshotOrder }> = [];
    for (const saved of snapshot.products) {
      const product = this.productById.get(saved.productId);
      if (product === undefined) throw new Error(`snapshot names unknown product ${saved.productId}`);
      product.bookSequence = saved.bookSequence;
      for (const order of saved.orders) resting.push({ product, order });
    }
    // Re-adding in id order restores time priority in every level and every user's list.
    resting.sort((a, b) => a.order.id - b.order.id);
    for (const { product, order: saved } of resting) {
      const user = this.ledger.find(saved.userId);
      if (user === undefined) throw new Error(`snapshot order ${saved.id} belongs to unknown user ${saved.userId}`);
      const order = new Order(
        saved.id,
        user.index,
        user.id,
        product.spec.index,
        saved.side,
        'limit',
        saved.price,
        saved.size,
        saved.remaining,
        'GTC',
        saved.postOnly,
        saved.stp,
        saved.clientOid,
        saved.createdAt,
      );
      order.hold = saved.hold;
      order.filled = saved.filled;
      order.executedValue = saved.executedValue;
      order.fees = saved.fees;
      order.makerNotional = saved.makerNotional;
      order.takerNotional = saved.takerNotional;
      product.book.add(order);
      this.orders.set(order.id, order);
      user.link(order);
    }
    for (const { userId, clientOid } of snapshot.clientOids) {
      const user = this.ledger.find(userId);
      if (user === undefined) throw new Error(`snapshot client oid of unknown user ${userId}`);
      this.clientOids.remember(user, clientOid);
    }
  }
}

/**
 * Quote held by a limit buy for `lots`: notional at the limit price plus the fee at the
 * larger of the two rates, plus one minor unit when both rates are positive, because an
 * order filled partly as taker and partly as maker rounds each role up separately. Fills
 * happen at the limit or better and ceil(x + y) - ceil(x) <= ceil(y), so whatever the order
 * already paid, its remaining lots can never cost more than this.
 */
function buyHold(spec: ProductSpec, price: number, lots: number): number {
  const notional = price * lots * spec.lotTickUnits;
  const margin = spec.makerFeePpm > 0 && spec.takerFeePpm > 0 ? 1 : 0;
  return notional + feeFor(notional, Math.max(spec.makerFeePpm, spec.takerFeePpm)) + margin;
}

/** Integer checks of a place command against its product; no state is read. */
function validateOrder(cmd: PlaceOrderCommand, spec: ProductSpec): RejectionCode | null {
  if (cmd.orderType === 'limit') {
    if (!Number.isSafeInteger(cmd.price) || cmd.price < 1 || cmd.price > spec.maxPrice) return 'INVALID_PRICE';
    if (!Number.isSafeInteger(cmd.size) || cmd.size < 1 || cmd.size > spec.maxSize) return 'INVALID_SIZE';
    if (cmd.funds !== 0 || (cmd.postOnly && cmd.timeInForce !== 'GTC')) return 'INVALID_ARGUMENT';
    if (cmd.size < spec.minSize) return 'SIZE_TOO_SMALL';
    const notional = safeMul(safeMul(cmd.price, cmd.size), spec.lotTickUnits);
    if (notional < 0 || notional > spec.maxNotional) return 'ORDER_TOO_LARGE';
    if (notional < spec.minFunds) return 'FUNDS_TOO_SMALL';
    return null;
  }
  if (cmd.price !== 0 || cmd.postOnly) return 'INVALID_ARGUMENT';
  if (cmd.side === 'buy' && cmd.funds !== 0) {
    if (cmd.size !== 0) return 'INVALID_ARGUMENT';
    if (!isPositiveAmount(cmd.funds)) return 'INVALID_FUNDS';
    if (cmd.funds < spec.minFunds) return 'FUNDS_TOO_SMALL';
    if (cmd.funds > spec.maxNotional) return 'ORDER_TOO_LARGE';
    return null;
  }
  if (cmd.funds !== 0) return 'INVALID_ARGUMENT';
  if (!Number.isSafeInteger(cmd.size) || cmd.size < 1 || cmd.size > spec.maxSize) return 'INVALID_SIZE';
  if (cmd.size < spec.minSize) return 'SIZE_TOO_SMALL';
  return null;
}

function isPositiveAmount(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount > 0;
}

function snapshotOrder(order: Order): SnapshotOrder {
  return {
    id: order.id,
    userId: order.userId,
    side: order.side,
    price: order.price,
    size: order.size,
    remaining: order.remaining,
    hold: order.hold,
    filled: order.filled,
    executedValue: order.executedValue,
    fees: order.fees,
    makerNotional: order.makerNotional,
    takerNotional: order.takerNotional,
    stp: order.stp,
    postOnly: order.postOnly,
    clientOid: order.clientOid,
    createdAt: order.createdAt,
  };
}
