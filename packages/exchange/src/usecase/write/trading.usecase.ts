import { DomainError } from '@sd/domain/errors';
import type { ExchangeRequest, OrderSide, OrderType, SelfTradePrevention, TimeInForce } from '@sd/domain/exchange/command';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { Product } from '@sd/domain/exchange/product';
import type { ProductCatalog } from '../core/catalog/product-catalog';
import type { BalanceView, BookView } from '../core/engine/exchange-engine';
import { rejectionError, type ExchangeGateway } from './exchange-gateway';
import type { FillRecord, OrderRecord } from '@sd/domain/exchange/order-history';
import type { HistoryQueries, ListFillsQuery, ListOrdersQuery } from '../read/history/history-queries';
import type { EngineReader } from '../read/replica/engine-reader';
import { summarizeOpen, summarizePlaced, type OrderSummary } from './order-summary';

/** A new order as the API receives it; fields are unchecked until the request parser sees them. */
export interface NewOrder {
  productId: unknown;
  side: unknown;
  type: unknown;
  price?: unknown;
  size?: unknown;
  funds?: unknown;
  timeInForce?: unknown;
  postOnly?: unknown;
  stp?: unknown;
  clientOid?: unknown;
}

export type BookLevel = 1 | 2 | 3;

const notFound = (what: string): DomainError => new DomainError('EXCHANGE.NOT_FOUND', 'not_found', `${what} not found`);
/** How long a history read waits for the history writer to reach the caller's own last command. */
const HISTORY_WAIT_MS = 3000;
const HISTORY_POLL_MS = 5;

/**
 * What a trader does through the API: every change goes through the gateway (parse, then
 * sequence); reads come from the engine state, caught up to the caller's last command.
 */
export class TradingUseCase {
  /** Per user, the sequence of their last applied command: reads wait for it (read your writes). */
  private readonly lastSequenceOf = new Map<string, number>();

  constructor(
    private readonly catalog: ProductCatalog,
    private readonly gateway: ExchangeGateway,
    private readonly reader: EngineReader,
    private readonly history: HistoryQueries,
  ) {}

  products(): Product[] {
    return this.catalog.products.map((product) => product.source);
  }

  product(productId: string): Product {
    const product = this.catalog.product(productId);
    if (product === undefined) throw notFound('product');
    return product.source;
  }

  async placeOrder(userId: string, order: NewOrder): Promise<OrderSummary> {
    const outcome = await this.execute(userId, {
      type: 'place',
      userId,
      productId: order.productId as string,
      side: order.side as OrderSide,
      orderType: order.type as OrderType,
      price: order.price as string | undefined,
      size: order.size as string | undefined,
      funds: order.funds as string | undefined,
      timeInForce: order.timeInForce as TimeInForce | undefined,
      postOnly: order.postOnly as boolean | undefined,
      stp: order.stp as SelfTradePrevention | undefined,
      clientOid: order.clientOid as string | undefined,
    });
    return summarizePlaced(outcome, this.catalog);
  }

  /** Answers the canceled order's id. */
  async cancelOrder(userId: string, orderId: string): Promise<string> {
    const outcome = await this.execute(userId, { type: 'cancel', userId, orderId });
    return canceledIds(outcome)[0] ?? orderId;
  }

  async cancelByClientOid(userId: string, clientOid: string): Promise<string> {
    const canceled = canceledIds(await this.execute(userId, { type: 'cancel_client_oid', userId, clientOid }));
    if (canceled[0] === undefined) throw notFound('order');
    return canceled[0];
  }

  async cancelAll(userId: string, productId?: string): Promise<string[]> {
    return canceledIds(await this.execute(userId, { type: 'cancel_all', userId, productId }));
  }

  async deposit(userId: string, currency: unknown, amount: unknown): Promise<BalanceView> {
    await this.execute(userId, { type: 'deposit', userId, currency: currency as string, amount: amount as string });
    return this.balance(userId, currency as string);
  }

  async accounts(userId: string): Promise<BalanceView[]> {
    await this.caughtUpFor(userId);
    return this.reader.engine.balances(userId);
  }

  async openOrders(userId: string, productId?: string): Promise<OrderSummary[]> {
    await this.caughtUpFor(userId);
    return this.reader.engine.openOrders(userId, productId).map(summarizeOpen).reverse();
  }

  /** Open orders come from the engine (always current); done ones from the history writer. */
  async listOrders(userId: string, query: ListOrdersQuery): Promise<OrderSummary[]> {
    if (query.status === 'open') {
      const open = await this.openOrders(userId, query.productId);
      return open.filter((order) => query.after === undefined || Number(order.id) < query.after).slice(0, query.limit ?? 100);
    }
    await this.historyCaughtUpFor(userId);
    return (await this.history.listOrders(userId, query)).map(summarizeRecord);
  }

  /** By order id or by client order id, open or done. */
  async getOrder(userId: string, ref: { orderId: string } | { clientOid: string }): Promise<OrderSummary> {
    await this.caughtUpFor(userId);
    const engine = this.reader.engine;
    const open =
      'orderId' in ref ? engine.order(ref.orderId) : (engine.openOrders(userId).find((order) => order.clientOid === ref.clientOid) ?? null);
    if (open !== null && open.userId === userId) return summarizeOpen(open);
    await this.historyCaughtUpFor(userId);
    const record =
      'orderId' in ref
        ? /^\d{1,16}$/.test(ref.orderId)
          ? await this.history.getOrder(userId, Number(ref.orderId))
          : null
        : await this.history.getOrderByClientOid(userId, ref.clientOid);
    if (record === null) throw notFound('order');
    return summarizeRecord(record);
  }

  async fills(userId: string, query: ListFillsQuery): Promise<FillRecord[]> {
    await this.historyCaughtUpFor(userId);
    return this.history.listFills(userId, query);
  }

  book(productId: string, level: BookLevel): BookView<[string, string, number | string]> {
    this.product(productId);
    const engine = this.reader.engine;
    const view = level === 3 ? engine.level3(productId) : engine.level2(productId, level === 1 ? 1 : Infinity);
    if (view === null) throw notFound('product');
    return view;
  }

  /** The sequence of the user's last command this instance applied for them (0 if none). */
  lastSequence(userId: string): number {
    return this.lastSequenceOf.get(userId) ?? 0;
  }

  private async execute(userId: string, request: ExchangeRequest): Promise<CommandOutcome> {
    const outcome = await this.gateway.execute(request);
    if (outcome.sequence !== null) {
      if (outcome.sequence > this.lastSequence(userId)) this.lastSequenceOf.set(userId, outcome.sequence);
      await this.reader.caughtUp(outcome.sequence);
    }
    if (outcome.rejection !== null) throw rejectionError(outcome.rejection);
    return outcome as CommandOutcome;
  }

  private caughtUpFor(userId: string): Promise<void> {
    return this.reader.caughtUp(this.lastSequence(userId));
  }

  /** Read your writes: the history writer runs behind the engine, so wait until it has this user's last command. */
  private async historyCaughtUpFor(userId: string): Promise<void> {
    const wanted = this.lastSequence(userId);
    const deadline = Date.now() + HISTORY_WAIT_MS;
    while ((await this.history.checkpoint()) < wanted && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, HISTORY_POLL_MS));
    }
  }

  private balance(userId: string, currency: string): BalanceView {
    const balance = this.reader.engine.balances(userId).find((row) => row.currency === currency);
    if (balance === undefined) throw notFound('currency');
    return balance;
  }
}

/** Ids of the orders a cancel command ended, in the order the engine ended them. */
function canceledIds(outcome: CommandOutcome): string[] {
  const ids: string[] = [];
  for (const event of outcome.events) if (event.type === 'done' && event.reason === 'canceled') ids.push(String(event.orderId));
  return ids;
}

function summarizeRecord(record: OrderRecord): OrderSummary {
  return {
    id: String(record.id),
    clientOid: record.clientOid,
    userId: record.userId,
    productId: record.productId,
    side: record.side,
    type: record.type,
    price: record.price,
    size: record.size,
    funds: record.funds,
    timeInForce: record.timeInForce,
    postOnly: record.postOnly,
    stp: record.stp,
    status: record.status,
    doneReason: record.doneReason,
    filledSize: record.filledSize,
    executedValue: record.executedValue,
    fillFees: record.fillFees,
    createdAt: record.createdAt,
    doneAt: record.doneAt,
  };
}
