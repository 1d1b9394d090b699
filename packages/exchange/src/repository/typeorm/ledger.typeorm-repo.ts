import { In, type DataSource, type Repository } from 'typeorm';
import type {
  Hold,
  HoldChanges,
  HoldStore,
  IdPage,
  LedgerChanges,
  LedgerEntry,
  LedgerStore,
  Transfer,
  TransferQuery,
} from '@sd/domain/exchange/account-ledger';
import type { OrderSide } from '@sd/domain/exchange/command';
import { chunks, exclusive } from '@sd/orm/embedded-lock';
import { insertRows } from '@sd/orm/insert-rows';
import { CheckpointRow } from './checkpoint-row';
import { idPageRead, newestFirst } from './id-page';
import { HoldEntity, LedgerEntryEntity, TransferEntity } from './ledger.entities';

const ENTRY_COLUMNS = [
  'id', 'user_id', 'currency', 'amount', 'balance', 'type', 'order_id', 'trade_id', 'product_id', 'transfer_id', 'transfer_type', 'created_at', 'sequence',
];
const TRANSFER_COLUMNS = ['id', 'user_id', 'type', 'currency', 'amount', 'crypto_address', 'created_at'];

/** The ledger and the transfers in SQL; a commit is one transaction. */
export class TypeormLedgerStore implements LedgerStore {
  private readonly entries: Repository<LedgerEntryEntity>;
  private readonly transfers: Repository<TransferEntity>;
  private readonly checkpointRow: CheckpointRow;

  constructor(private readonly dataSource: DataSource) {
    this.entries = dataSource.getRepository(LedgerEntryEntity);
    this.transfers = dataSource.getRepository(TransferEntity);
    this.checkpointRow = new CheckpointRow(dataSource, 'ledger');
  }

  checkpoint(): Promise<number> {
    return this.checkpointRow.read();
  }

  /** Entries are numbered on from the last stored one, under the checkpoint's lock: one writer at a time. */
  commit(expectedCheckpoint: number, changes: LedgerChanges): Promise<boolean> {
    return this.checkpointRow.commit(expectedCheckpoint, changes.checkpoint, async (manager) => {
      const [{ last }] = (await manager.query('SELECT MAX("id") AS "last" FROM "exchange_ledger"')) as [{ last: string | number | null }];
      const first = Number(last ?? 0) + 1;
      const entryRows = changes.entries.map((e, i) => [
        first + i, e.userId, e.currency, e.amount, e.balance, e.type, e.orderId, e.tradeId, e.productId, e.transferId, e.transferType, e.createdAt, e.sequence,
      ]);
      await insertRows(manager, { table: 'exchange_ledger', columns: ENTRY_COLUMNS, rows: entryRows });
      const transferRows = changes.transfers.map((t) => [t.id, t.userId, t.type, t.currency, t.amount, t.cryptoAddress, t.createdAt]);
      await insertRows(manager, { table: 'exchange_transfers', columns: TRANSFER_COLUMNS, rows: transferRows, onConflict: 'ON CONFLICT DO NOTHING' });
    });
  }

  async listEntries(userId: string, currency: string, page: IdPage): Promise<LedgerEntry[]> {
    const read = idPageRead(page);
    const rows = await exclusive(this.dataSource, () =>
      this.entries.find({ where: { userId, currency, ...(read.id && { id: read.id }) }, order: { id: read.direction }, take: page.limit }),
    );
    return newestFirst(rows, read).map((row) => ({ ...row }));
  }

  async listTransfers(userId: string, query: TransferQuery): Promise<Transfer[]> {
    const read = idPageRead(query);
    const rows = await exclusive(this.dataSource, () =>
      this.transfers.find({
        where: {
          userId,
          ...(query.type !== undefined && { type: query.type }),
          ...(query.currency !== undefined && { currency: query.currency }),
          ...(read.id && { id: read.id }),
        },
        order: { id: read.direction },
        take: query.limit,
      }),
    );
    return newestFirst(rows, read).map((row) => ({ ...row }));
  }
}

const HOLD_COLUMNS = ['order_id', 'user_id', 'product_id', 'side', 'currency', 'amount', 'price', 'remaining_size', 'created_at', 'updated_at'];
const HOLD_UPSERT = `ON CONFLICT ("order_id") DO UPDATE SET ${HOLD_COLUMNS.slice(1)
  .map((column) => `"${column}" = excluded."${column}"`)
  .join(', ')}`;

/** The holds of resting orders in SQL; a commit is one transaction. */
export class TypeormHoldStore implements HoldStore {
  private readonly holds: Repository<HoldEntity>;
  private readonly checkpointRow: CheckpointRow;

  constructor(private readonly dataSource: DataSource) {
    this.holds = dataSource.getRepository(HoldEntity);
    this.checkpointRow = new CheckpointRow(dataSource, 'holds');
  }

  checkpoint(): Promise<number> {
    return this.checkpointRow.read();
  }

  commit(expectedCheckpoint: number, changes: HoldChanges): Promise<boolean> {
    return this.checkpointRow.commit(expectedCheckpoint, changes.checkpoint, async (manager) => {
      for (const chunk of chunks(changes.released, 500)) await manager.delete(HoldEntity, { orderId: In(chunk) });
      const rows = changes.holds.map((h) => [h.orderId, h.userId, h.productId, h.side, h.currency, h.amount, h.price, h.remainingSize, h.createdAt, h.updatedAt]);
      await insertRows(manager, { table: 'exchange_holds', columns: HOLD_COLUMNS, rows, onConflict: HOLD_UPSERT });
    });
  }

  async findHolds(orderIds: readonly number[]): Promise<Hold[]> {
    const rows = await exclusive(this.dataSource, async () => {
      const found: HoldEntity[] = [];
      for (const chunk of chunks(orderIds, 500)) found.push(...(await this.holds.findBy({ orderId: In(chunk) })));
      return found;
    });
    return rows.map((row) => ({ ...row }));
  }

  async holdsOfProduct(productId: string, side: OrderSide): Promise<Hold[]> {
    const rows = await exclusive(this.dataSource, () => this.holds.find({ where: { productId, side }, order: { orderId: 'ASC' } }));
    return rows.map((row) => ({ ...row }));
  }

  async listHolds(userId: string, currency: string, page: IdPage): Promise<Hold[]> {
    const read = idPageRead(page);
    const rows = await exclusive(this.dataSource, () =>
      this.holds.find({ where: { userId, currency, ...(read.id && { orderId: read.id }) }, order: { orderId: read.direction }, take: page.limit }),
    );
    return newestFirst(rows, read).map((row) => ({ ...row }));
  }
}
