import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DecimalColumn } from '@sd/orm/decimal-column';
import type { LedgerEntryType, TransferType } from '@sd/domain/exchange/account-ledger';
import { bigintNumber } from './market-data.entities';

@Entity({ name: 'exchange_ledger' })
@Index('exchange_ledger_account_idx', ['userId', 'currency', 'id'])
export class LedgerEntryEntity {
  /** Given by the store in commit order (see TypeormLedgerStore.commit). */
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  id!: number;

  @Column({ name: 'user_id', type: 'varchar', length: 128 })
  userId!: string;

  @Column({ type: 'varchar', length: 32 })
  currency!: string;

  /** Signed. */
  @DecimalColumn()
  amount!: string;

  @DecimalColumn()
  balance!: string;

  @Column({ type: 'varchar', length: 8 })
  type!: LedgerEntryType;

  @Column({ name: 'order_id', type: 'bigint', nullable: true, transformer: bigintNumber })
  orderId!: number | null;

  @Column({ name: 'trade_id', type: 'bigint', nullable: true, transformer: bigintNumber })
  tradeId!: number | null;

  @Column({ name: 'product_id', type: 'varchar', length: 64, nullable: true })
  productId!: string | null;

  @Column({ name: 'transfer_id', type: 'bigint', nullable: true, transformer: bigintNumber })
  transferId!: number | null;

  @Column({ name: 'transfer_type', type: 'varchar', length: 17, nullable: true })
  transferType!: TransferType | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;
}

/** A transfer between two users has one row per side, under the command's sequence. */
@Entity({ name: 'exchange_transfers' })
@Index('exchange_transfers_user_idx', ['userId', 'id'])
export class TransferEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  id!: number;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 128 })
  userId!: string;

  @Column({ type: 'varchar', length: 17 })
  type!: TransferType;

  @Column({ type: 'varchar', length: 32 })
  currency!: string;

  @DecimalColumn()
  amount!: string;

  @Column({ name: 'crypto_address', type: 'varchar', length: 128, nullable: true })
  cryptoAddress!: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt!: number;
}

@Entity({ name: 'exchange_holds' })
@Index('exchange_holds_account_idx', ['userId', 'currency', 'orderId'])
@Index('exchange_holds_product_idx', ['productId', 'side'])
export class HoldEntity {
  @PrimaryColumn({ name: 'order_id', type: 'bigint', transformer: bigintNumber })
  orderId!: number;

  @Column({ name: 'user_id', type: 'varchar', length: 128 })
  userId!: string;

  @Column({ name: 'product_id', type: 'varchar', length: 64 })
  productId!: string;

  @Column({ type: 'varchar', length: 4 })
  side!: 'buy' | 'sell';

  @Column({ type: 'varchar', length: 32 })
  currency!: string;

  @DecimalColumn()
  amount!: string;

  @DecimalColumn()
  price!: string;

  @DecimalColumn({ name: 'remaining_size' })
  remainingSize!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt!: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt!: number;
}
