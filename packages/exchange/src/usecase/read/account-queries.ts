import type { Hold, LedgerEntry, Transfer } from '@sd/domain/exchange/account-ledger';
import { exchangeNotFound as notFound } from '@sd/domain/exchange/rejection';
import type { FillRecord, OrderView } from '@sd/domain/exchange/order-history';
import { EventFormatter, type DecimalBalance } from '../core/money/event-format';
import { OrderViews } from '../core/order-view';
import type { HistoryQueries, ListFillsQuery, ListOrdersQuery } from './history/history-queries';
import type { ReadYourWrites } from './read-your-writes';
import type { EngineReader } from '../core/engine/engine-reader';
import type { LedgerQueries, TransfersQuery } from './ledger/ledger-queries';
import { idPage, type CursorQuery } from './paging';

/**
 * What a trader reads about their own account: balances and open orders from the engine
 * state (always current); done orders, fills, the ledger, transfers and holds from the read
 * side; each read first waits for the caller's own last command (read your writes).
 */
export class AccountQueries {
  private readonly format: EventFormatter;
  private readonly views: OrderViews;

  constructor(
    private readonly reader: EngineReader,
    private readonly history: HistoryQueries,
    private readonly ledger: LedgerQueries,
    private readonly readYourWrites: ReadYourWrites,
  ) {
    this.format = new EventFormatter(reader.engine.catalog);
    this.views = new OrderViews(reader.engine.catalog);
  }

  async accounts(userId: string): Promise<DecimalBalance[]> {
    await this.readYourWrites.engineCaughtUp(userId);
    return this.reader.engine.balances(userId).map((balance) => this.format.balance(balance));
  }

  async account(userId: string, currency: string): Promise<DecimalBalance> {
    const balance = (await this.accounts(userId)).find((row) => row.currency === currency);
    if (balance === undefined) throw notFound('currency');
    return balance;
  }

  async openOrders(userId: string, productId?: string): Promise<OrderView[]> {
    await this.readYourWrites.engineCaughtUp(userId);
    return this.reader.engine.openOrders(userId, productId).map((order) => this.views.open(order)).reverse();
  }

  /** Open orders come from the engine (always current); done ones from the history writer. */
  async listOrders(userId: string, query: ListOrdersQuery): Promise<OrderView[]> {
    if (query.status === 'open') {
      const { limit, olderThan, newerThan } = idPage(query, 'an id from a previous page');
      const open = (await this.openOrders(userId, query.productId)).filter(
        (order) => (olderThan === undefined || order.id < olderThan) && (newerThan === undefined || order.id > newerThan),
      );
      // Newest first; the page just above `before` is the one next to it.
      return newerThan === undefined ? open.slice(0, limit) : open.slice(-limit);
    }
    await this.readYourWrites.historyCaughtUp(userId);
    return this.history.listOrders(userId, query);
  }

  /** By order id or by client order id, open or done. */
  async getOrder(userId: string, ref: { orderId: string } | { clientOid: string }): Promise<OrderView> {
    await this.readYourWrites.engineCaughtUp(userId);
    const engine = this.reader.engine;
    const orderId = 'orderId' in ref && /^\d{1,16}$/.test(ref.orderId) ? Number(ref.orderId) : null;
    const open =
      'orderId' in ref
        ? // The engine knows an order by its id as issued, without leading zeros.
          orderId === null || String(orderId) !== ref.orderId
          ? null
          : engine.order(orderId)
        : (engine.openOrders(userId).find((order) => order.clientOid === ref.clientOid) ?? null);
    if (open !== null && open.userId === userId) return this.views.open(open);
    await this.readYourWrites.historyCaughtUp(userId);
    const record =
      'orderId' in ref
        ? orderId === null
          ? null
          : await this.history.getOrder(userId, orderId)
        : await this.history.getOrderByClientOid(userId, ref.clientOid);
    if (record === null) throw notFound('order');
    return record;
  }

  async fills(userId: string, query: ListFillsQuery): Promise<FillRecord[]> {
    await this.readYourWrites.historyCaughtUp(userId);
    return this.history.listFills(userId, query);
  }

  /** Every change of the balance in `currency`, newest first. */
  async ledgerEntries(userId: string, currency: string, query: CursorQuery = {}): Promise<LedgerEntry[]> {
    this.currency(currency);
    await this.readYourWrites.historyCaughtUp(userId);
    return this.ledger.entries(userId, currency, query);
  }

  /** What resting orders hold in `currency`, newest order first. */
  async holds(userId: string, currency: string, query: CursorQuery = {}): Promise<Hold[]> {
    this.currency(currency);
    await this.readYourWrites.historyCaughtUp(userId);
    return this.ledger.holds(userId, currency, query);
  }

  /** Deposits and withdrawals, newest first. */
  async transfers(userId: string, query: TransfersQuery = {}): Promise<Transfer[]> {
    if (query.currency !== undefined) this.currency(query.currency);
    await this.readYourWrites.historyCaughtUp(userId);
    return this.ledger.transfers(userId, query);
  }

  private currency(id: string): void {
    if (this.reader.engine.catalog.currency(id) === undefined) throw notFound('currency');
  }
}
