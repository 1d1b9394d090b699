import type { FillQuery, FillRecord, HistoryChanges, OrderHistoryStore, OrderQuery, OrderRecord } from '@sd/domain/exchange/order-history';
import { columns, marks, type SqliteDatabase } from '@sd/orm/sqlite-database';
import { newestFirst, opposite } from '../id-page-order';
import { SqliteCheckpoint } from './checkpoint';
import { pageQuery } from './page-query';

const ORDER_NAMES = [
  'id', 'user_id', 'client_oid', 'product_id', 'side', 'type', 'price', 'size', 'funds', 'time_in_force', 'post_only', 'stp', 'status',
  'filled_size', 'executed_value', 'fill_fees', 'done_reason', 'cancel_reason', 'created_at', 'done_at', 'last_sequence',
]; // prettier-ignore
const FILL_NAMES = ['trade_id', 'liquidity', 'user_id', 'order_id', 'product_id', 'price', 'size', 'fee', 'side', 'created_at', 'sequence'];
const ORDER_COLUMNS = columns(ORDER_NAMES);
const FILL_COLUMNS = columns(FILL_NAMES);
const SELECT_ORDERS = `SELECT ${ORDER_COLUMNS} FROM "exchange_orders"`;
const SELECT_FILLS = `SELECT ${FILL_COLUMNS} FROM "exchange_fills"`;
const UPSERT_ORDER = `INSERT INTO "exchange_orders" (${ORDER_COLUMNS}) VALUES (${marks(ORDER_NAMES.length)}) ON CONFLICT ("id") DO UPDATE SET ${ORDER_NAMES.slice(1)
  .map((name) => `"${name}" = excluded."${name}"`)
  .join(', ')}`;
const INSERT_FILL = `INSERT INTO "exchange_fills" (${FILL_COLUMNS}) VALUES (${marks(FILL_NAMES.length)}) ON CONFLICT DO NOTHING`;

/**
 * Orders, fills and their checkpoint on node:sqlite, through prepared statements; a commit is
 * one transaction. Each call runs to its end synchronously, so calls never interleave.
 */
export class SqliteOrderHistoryStore implements OrderHistoryStore {
  private readonly checkpointRow: SqliteCheckpoint;

  constructor(private readonly sqlite: SqliteDatabase) {
    this.checkpointRow = new SqliteCheckpoint(sqlite, 'order-history');
  }

  async checkpoint(): Promise<number> {
    return this.checkpointRow.read();
  }

  async findOrders(ids: readonly number[]): Promise<OrderRecord[]> {
    if (ids.length === 0) return [];
    // One parameter whatever the count: SQLite's json_each reads the list.
    return this.sqlite.statement(`${SELECT_ORDERS} WHERE "id" IN (SELECT "value" FROM json_each(?))`).all(JSON.stringify(ids)).map(toOrder);
  }

  async commit(expectedCheckpoint: number, changes: HistoryChanges): Promise<boolean> {
    return this.checkpointRow.commit(expectedCheckpoint, changes.checkpoint, () => {
      const upsert = this.sqlite.statement(UPSERT_ORDER);
      for (const o of changes.orders) {
        upsert.run(
          o.id, o.userId, o.clientOid, o.productId, o.side, o.type, o.price, o.size, o.funds, o.timeInForce, o.postOnly ? 1 : 0, o.stp, o.status,
          o.filledSize, o.executedValue, o.fillFees, o.doneReason, o.cancelReason, o.createdAt, o.doneAt, o.lastSequence,
        ); // prettier-ignore
      }
      const insert = this.sqlite.statement(INSERT_FILL);
      for (const f of changes.fills) insert.run(f.tradeId, f.liquidity, f.userId, f.orderId, f.productId, f.price, f.size, f.fee, f.side, f.createdAt, f.sequence);
    });
  }

  async listOrders(userId: string, query: OrderQuery): Promise<OrderRecord[]> {
    const status = query.status === 'all' ? undefined : query.status;
    const page = pageQuery('id', { user_id: userId, status, product_id: query.productId }, query);
    return newestFirst(this.sqlite.statement(`${SELECT_ORDERS} ${page.sql}`).all(...page.params), page.order).map(toOrder);
  }

  async getOrder(userId: string, orderId: number): Promise<OrderRecord | null> {
    const row = this.sqlite.statement(`${SELECT_ORDERS} WHERE "user_id" = ? AND "id" = ?`).get(userId, orderId);
    return row === undefined ? null : toOrder(row);
  }

  async getOrderByClientOid(userId: string, clientOid: string): Promise<OrderRecord | null> {
    const row = this.sqlite.statement(`${SELECT_ORDERS} WHERE "user_id" = ? AND "client_oid" = ? ORDER BY "id" DESC LIMIT 1`).get(userId, clientOid);
    return row === undefined ? null : toOrder(row);
  }

  async listFills(userId: string, query: FillQuery): Promise<FillRecord[]> {
    const page = pageQuery('trade_id', { user_id: userId, order_id: query.orderId, product_id: query.productId }, query, (direction) => `"liquidity" ${opposite(direction)}`);
    return newestFirst(this.sqlite.statement(`${SELECT_FILLS} ${page.sql}`).all(...page.params), page.order).map(toFill);
  }
}

type Row = Record<string, unknown>;

function toOrder(row: Row): OrderRecord {
  return {
    id: row.id as number,
    userId: row.user_id as string,
    clientOid: row.client_oid as string | null,
    productId: row.product_id as string,
    side: row.side as OrderRecord['side'],
    type: row.type as OrderRecord['type'],
    price: row.price as string | null,
    size: row.size as string | null,
    funds: row.funds as string | null,
    timeInForce: row.time_in_force as OrderRecord['timeInForce'],
    postOnly: row.post_only === 1,
    stp: row.stp as OrderRecord['stp'],
    status: row.status as OrderRecord['status'],
    filledSize: row.filled_size as string,
    executedValue: row.executed_value as string,
    fillFees: row.fill_fees as string,
    doneReason: row.done_reason as OrderRecord['doneReason'],
    cancelReason: row.cancel_reason as OrderRecord['cancelReason'],
    createdAt: row.created_at as number,
    doneAt: row.done_at as number | null,
    lastSequence: row.last_sequence as number,
  };
}

function toFill(row: Row): FillRecord {
  return {
    tradeId: row.trade_id as number,
    userId: row.user_id as string,
    orderId: row.order_id as number,
    productId: row.product_id as string,
    price: row.price as string,
    size: row.size as string,
    liquidity: row.liquidity as FillRecord['liquidity'],
    fee: row.fee as string,
    side: row.side as FillRecord['side'],
    createdAt: row.created_at as number,
    sequence: row.sequence as number,
  };
}
