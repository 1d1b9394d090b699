import { In, type DataSource, type Repository } from 'typeorm';
import type { FillQuery, FillRecord, HistoryChanges, OrderHistoryStore, OrderQuery, OrderRecord } from '@sd/domain/exchange/order-history';
import { chunks, exclusive } from '@sd/orm/embedded-lock';
import { insertRows } from '@sd/orm/insert-rows';
import { CheckpointRow } from './checkpoint-row';
import { idPageRead, newestFirst, opposite } from './id-page';
import { FillEntity, OrderEntity } from './market-data.entities';

/** Orders, fills and their checkpoint in SQL; a commit is one transaction. */
export class TypeormOrderHistoryStore implements OrderHistoryStore {
  private readonly orders: Repository<OrderEntity>;
  private readonly fills: Repository<FillEntity>;
  private readonly checkpointRow: CheckpointRow;

  constructor(private readonly dataSource: DataSource) {
    this.orders = dataSource.getRepository(OrderEntity);
    this.fills = dataSource.getRepository(FillEntity);
    this.checkpointRow = new CheckpointRow(dataSource, 'order-history');
  }

  checkpoint(): Promise<number> {
    return this.checkpointRow.read();
  }

  async findOrders(ids: readonly number[]): Promise<OrderRecord[]> {
    const rows = await exclusive(this.dataSource, async () => {
      const found: OrderEntity[] = [];
      for (const chunk of chunks(ids, 500)) found.push(...(await this.orders.findBy({ id: In(chunk) })));
      return found;
    });
    return rows.map(toOrder);
  }

  commit(expectedCheckpoint: number, changes: HistoryChanges): Promise<boolean> {
    return this.checkpointRow.commit(expectedCheckpoint, changes.checkpoint, async (manager) => {
      await insertRows(manager, { table: 'exchange_orders', columns: ORDER_COLUMNS, rows: changes.orders.map(orderRow), onConflict: ORDER_UPSERT });
      await insertRows(manager, { table: 'exchange_fills', columns: FILL_COLUMNS, rows: changes.fills.map(fillRow), onConflict: 'ON CONFLICT DO NOTHING' });
    });
  }

  async listOrders(userId: string, query: OrderQuery): Promise<OrderRecord[]> {
    const read = idPageRead(query);
    const rows = await exclusive(this.dataSource, () =>
      this.orders.find({
        where: {
          userId,
          ...(query.status !== 'all' && { status: query.status }),
          ...(query.productId !== undefined && { productId: query.productId }),
          ...(read.id && { id: read.id }),
        },
        order: { id: read.direction },
        take: query.limit,
      }),
    );
    return newestFirst(rows, read).map(toOrder);
  }

  async getOrder(userId: string, orderId: number): Promise<OrderRecord | null> {
    const row = await exclusive(this.dataSource, () => this.orders.findOneBy({ userId, id: orderId }));
    return row === null ? null : toOrder(row);
  }

  async getOrderByClientOid(userId: string, clientOid: string): Promise<OrderRecord | null> {
    const row = await exclusive(this.dataSource, () => this.orders.findOne({ where: { userId, clientOid }, order: { id: 'DESC' } }));
    return row === null ? null : toOrder(row);
  }

  async listFills(userId: string, query: FillQuery): Promise<FillRecord[]> {
    const read = idPageRead(query);
    const rows = await exclusive(this.dataSource, () =>
      this.fills.find({
        where: {
          userId,
          ...(query.orderId !== undefined && { orderId: query.orderId }),
          ...(query.productId !== undefined && { productId: query.productId }),
          ...(read.id && { tradeId: read.id }),
        },
        order: { tradeId: read.direction, liquidity: opposite(read.direction) },
        take: query.limit,
      }),
    );
    return newestFirst(rows, read).map((row) => ({ ...row }));
  }
}

const ORDER_COLUMNS = [
  'id', 'user_id', 'client_oid', 'product_id', 'side', 'type', 'price', 'size', 'funds', 'time_in_force', 'post_only', 'stp', 'status',
  'filled_size', 'executed_value', 'fill_fees', 'done_reason', 'cancel_reason', 'created_at', 'done_at', 'last_sequence',
];
const ORDER_UPSERT = `ON CONFLICT ("id") DO UPDATE SET ${ORDER_COLUMNS.slice(1)
  .map((column) => `"${column}" = excluded."${column}"`)
  .join(', ')}`;

function orderRow(o: OrderRecord): unknown[] {
  return [
    o.id, o.userId, o.clientOid, o.productId, o.side, o.type, o.price, o.size, o.funds, o.timeInForce, o.postOnly, o.stp, o.status,
    o.filledSize, o.executedValue, o.fillFees, o.doneReason, o.cancelReason, o.createdAt, o.doneAt, o.lastSequence,
  ];
}

const FILL_COLUMNS = ['trade_id', 'liquidity', 'user_id', 'order_id', 'product_id', 'price', 'size', 'fee', 'side', 'created_at', 'sequence'];

function fillRow(f: FillRecord): unknown[] {
  return [f.tradeId, f.liquidity, f.userId, f.orderId, f.productId, f.price, f.size, f.fee, f.side, f.createdAt, f.sequence];
}

function toOrder(row: OrderEntity): OrderRecord {
  return { ...row };
}
