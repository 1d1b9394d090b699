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
import { columns, marks, type SqliteDatabase } from '@sd/orm/sqlite-database';
import { newestFirst } from '../id-page-order';
import { SqliteCheckpoint } from './checkpoint';
import { pageQuery } from './page-query';

const ENTRY_NAMES = [
  'id', 'user_id', 'currency', 'amount', 'balance', 'type', 'order_id', 'trade_id', 'product_id', 'transfer_id', 'transfer_type', 'created_at', 'sequence',
]; // prettier-ignore
const TRANSFER_NAMES = ['id', 'user_id', 'type', 'currency', 'amount', 'crypto_address', 'created_at'];
const ENTRY_COLUMNS = columns(ENTRY_NAMES);
const TRANSFER_COLUMNS = columns(TRANSFER_NAMES);
const INSERT_ENTRY = `INSERT INTO "exchange_ledger" (${ENTRY_COLUMNS}) VALUES (${marks(ENTRY_NAMES.length)})`;
const INSERT_TRANSFER = `INSERT INTO "exchange_transfers" (${TRANSFER_COLUMNS}) VALUES (${marks(TRANSFER_NAMES.length)}) ON CONFLICT DO NOTHING`;

/** The ledger and the transfers on node:sqlite; a commit is one transaction. */
export class SqliteLedgerStore implements LedgerStore {
  private readonly checkpointRow: SqliteCheckpoint;

  constructor(private readonly sqlite: SqliteDatabase) {
    this.checkpointRow = new SqliteCheckpoint(sqlite, 'ledger');
  }

  async checkpoint(): Promise<number> {
    return this.checkpointRow.read();
  }

  /** Entries are numbered on from the last stored one, inside the commit's transaction. */
  async commit(expectedCheckpoint: number, changes: LedgerChanges): Promise<boolean> {
    return this.checkpointRow.commit(expectedCheckpoint, changes.checkpoint, () => {
      const last = this.sqlite.statement('SELECT MAX("id") AS "last" FROM "exchange_ledger"').get()!.last;
      const first = Number(last ?? 0) + 1;
      const insertEntry = this.sqlite.statement(INSERT_ENTRY);
      changes.entries.forEach((e, i) =>
        insertEntry.run(first + i, e.userId, e.currency, e.amount, e.balance, e.type, e.orderId, e.tradeId, e.productId, e.transferId, e.transferType, e.createdAt, e.sequence),
      );
      const insertTransfer = this.sqlite.statement(INSERT_TRANSFER);
      for (const t of changes.transfers) insertTransfer.run(t.id, t.userId, t.type, t.currency, t.amount, t.cryptoAddress, t.createdAt);
    });
  }

  async listEntries(userId: string, currency: string, page: IdPage): Promise<LedgerEntry[]> {
    const query = pageQuery('id', { user_id: userId, currency }, page);
    return newestFirst(this.sqlite.statement(`SELECT ${ENTRY_COLUMNS} FROM "exchange_ledger" ${query.sql}`).all(...query.params), query.order).map((row) => ({
      id: row.id as number,
      userId: row.user_id as string,
      currency: row.currency as string,
      amount: row.amount as string,
      balance: row.balance as string,
      type: row.type as LedgerEntry['type'],
      orderId: row.order_id as number | null,
      tradeId: row.trade_id as number | null,
      productId: row.product_id as string | null,
      transferId: row.transfer_id as number | null,
      transferType: row.transfer_type as LedgerEntry['transferType'],
      createdAt: row.created_at as number,
      sequence: row.sequence as number,
    }));
  }

  async listTransfers(userId: string, query: TransferQuery): Promise<Transfer[]> {
    const page = pageQuery('id', { user_id: userId, type: query.type, currency: query.currency }, query);
    return newestFirst(this.sqlite.statement(`SELECT ${TRANSFER_COLUMNS} FROM "exchange_transfers" ${page.sql}`).all(...page.params), page.order).map((row) => ({
      id: row.id as number,
      userId: row.user_id as string,
      type: row.type as Transfer['type'],
      currency: row.currency as string,
      amount: row.amount as string,
      cryptoAddress: row.crypto_address as string | null,
      createdAt: row.created_at as number,
    }));
  }
}

const HOLD_NAMES = ['order_id', 'user_id', 'product_id', 'side', 'currency', 'amount', 'price', 'remaining_size', 'created_at', 'updated_at'];
const HOLD_COLUMNS = columns(HOLD_NAMES);
const SELECT_HOLDS = `SELECT ${HOLD_COLUMNS} FROM "exchange_holds"`;
const UPSERT_HOLD = `INSERT INTO "exchange_holds" (${HOLD_COLUMNS}) VALUES (${marks(HOLD_NAMES.length)}) ON CONFLICT ("order_id") DO UPDATE SET ${HOLD_NAMES.slice(1)
  .map((name) => `"${name}" = excluded."${name}"`)
  .join(', ')}`;
/** One parameter whatever the count of ids: SQLite's json_each reads the list. */
const IN_IDS = '"order_id" IN (SELECT "value" FROM json_each(?))';

/** The holds of resting orders on node:sqlite; a commit is one transaction. */
export class SqliteHoldStore implements HoldStore {
  private readonly checkpointRow: SqliteCheckpoint;

  constructor(private readonly sqlite: SqliteDatabase) {
    this.checkpointRow = new SqliteCheckpoint(sqlite, 'holds');
  }

  async checkpoint(): Promise<number> {
    return this.checkpointRow.read();
  }

  async commit(expectedCheckpoint: number, changes: HoldChanges): Promise<boolean> {
    return this.checkpointRow.commit(expectedCheckpoint, changes.checkpoint, () => {
      if (changes.released.length > 0) this.sqlite.statement(`DELETE FROM "exchange_holds" WHERE ${IN_IDS}`).run(JSON.stringify(changes.released));
      const upsert = this.sqlite.statement(UPSERT_HOLD);
      for (const h of changes.holds) upsert.run(h.orderId, h.userId, h.productId, h.side, h.currency, h.amount, h.price, h.remainingSize, h.createdAt, h.updatedAt);
    });
  }

  async findHolds(orderIds: readonly number[]): Promise<Hold[]> {
    if (orderIds.length === 0) return [];
    return this.sqlite.statement(`${SELECT_HOLDS} WHERE ${IN_IDS}`).all(JSON.stringify(orderIds)).map(toHold);
  }

  async holdsOfProduct(productId: string, side: OrderSide): Promise<Hold[]> {
    return this.sqlite.statement(`${SELECT_HOLDS} WHERE "product_id" = ? AND "side" = ? ORDER BY "order_id" ASC`).all(productId, side).map(toHold);
  }

  async listHolds(userId: string, currency: string, page: IdPage): Promise<Hold[]> {
    const query = pageQuery('order_id', { user_id: userId, currency }, page);
    return newestFirst(this.sqlite.statement(`${SELECT_HOLDS} ${query.sql}`).all(...query.params), query.order).map(toHold);
  }
}

function toHold(row: Record<string, unknown>): Hold {
  return {
    orderId: row.order_id as number,
    userId: row.user_id as string,
    productId: row.product_id as string,
    side: row.side as OrderSide,
    currency: row.currency as string,
    amount: row.amount as string,
    price: row.price as string,
    remainingSize: row.remaining_size as string,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
  };
}
