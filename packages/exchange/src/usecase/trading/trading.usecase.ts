import { DomainError } from '@sd/domain/errors';
import type { ExchangeRequest, OrderSide, OrderType, SelfTradePrevention, TimeInForce } from '@sd/domain/exchange/command';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { Product } from '@sd/domain/exchange/product';
import type { ProductCatalog } from '../catalog/product-catalog';
import type { BalanceView, BookView } from '../engine/exchange-engine';
import { rejectionError, type ExchangeGateway } from '../sequencer/exchange-gateway';
import type { EngineReader } from './engine-reader';
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

  /** A resting order of this user, or null when it is not (or no longer) on the book. */
  async openOrder(userId: string, orderId: string): Promise<OrderSummary | null> {
    await this.caughtUpFor(userId);
    const view = this.reader.engine.order(orderId);
    return view === null || view.userId !== userId ? null : summarizeOpen(view);
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
