import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';
import { DecimalColumn } from '@sd/orm/decimal-column';

/**
 * Sequences, ids and epoch times in BIGINT. PostgreSQL hands BIGINT back as a string; they
 * stay below 2^53, so a number is exact.
 */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** Table names are prefixed so the exchange can share one database with other domains. */
@Entity({ name: 'exchange_trades' })
export class TradeEntity {
  @PrimaryColumn({ name: 'product_id', type: 'varchar', length: 64 })
  productId!: string;

  @PrimaryColumn({ name: 'trade_id', type: 'bigint', transformer: bigintNumber })
  tradeId!: number;

  @DecimalColumn()
  price!: string;

  @DecimalColumn()
  size!: string;

  @Column({ type: 'varchar', length: 4 })
  side!: 'buy' | 'sell';

  @Column({ type: 'bigint', transformer: bigintNumber })
  time!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;
}

@Entity({ name: 'exchange_candles' })
export class CandleEntity {
  @PrimaryColumn({ name: 'product_id', type: 'varchar', length: 64 })
  productId!: string;

  @PrimaryColumn({ type: 'integer' })
  granularity!: number;

  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  time!: number;

  @DecimalColumn()
  low!: string;

  @DecimalColumn()
  high!: string;

  @DecimalColumn()
  open!: string;

  @DecimalColumn()
  close!: string;

  @DecimalColumn()
  volume!: string;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: bigintNumber })
  lastSequence!: number;
}

@Entity({ name: 'exchange_orders' })
@Index('exchange_orders_user_id_idx', ['userId', 'id'])
@Index('exchange_orders_user_status_idx', ['userId', 'status', 'id'])
@Index('exchange_orders_user_client_oid_idx', ['userId', 'clientOid'])
export class OrderEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  id!: number;

  @Column({ name: 'user_id', type: 'varchar', length: 128 })
  userId!: string;

  @Column({ name: 'client_oid', type: 'varchar', length: 128, nullable: true })
  clientOid!: string | null;

  @Column({ name: 'product_id', type: 'varchar', length: 64 })
  productId!: string;

  @Column({ type: 'varchar', length: 4 })
  side!: 'buy' | 'sell';

  @Column({ type: 'varchar', length: 6 })
  type!: 'limit' | 'market';

  @DecimalColumn({ nullable: true })
  price!: string | null;

  @DecimalColumn({ nullable: true })
  size!: string | null;

  @DecimalColumn({ nullable: true })
  funds!: string | null;

  @Column({ name: 'time_in_force', type: 'varchar', length: 3 })
  timeInForce!: 'GTC' | 'IOC' | 'FOK';

  @Column({ name: 'post_only', type: 'boolean' })
  postOnly!: boolean;

  @Column({ type: 'varchar', length: 2 })
  stp!: 'dc' | 'co' | 'cn' | 'cb';

  @Column({ type: 'varchar', length: 4 })
  status!: 'open' | 'done';

  @DecimalColumn({ name: 'filled_size' })
  filledSize!: string;

  @DecimalColumn({ name: 'executed_value' })
  executedValue!: string;

  @DecimalColumn({ name: 'fill_fees' })
  fillFees!: string;

  @Column({ name: 'done_reason', type: 'varchar', length: 8, nullable: true })
  doneReason!: 'filled' | 'canceled' | null;

  @Column({ name: 'cancel_reason', type: 'varchar', length: 16, nullable: true })
  cancelReason!: 'user' | 'ioc' | 'self_trade' | 'no_liquidity' | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt!: number;

  @Column({ name: 'done_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  doneAt!: number | null;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: bigintNumber })
  lastSequence!: number;
}

@Entity({ name: 'exchange_fills' })
@Index('exchange_fills_user_id_idx', ['userId', 'tradeId'])
@Index('exchange_fills_user_order_idx', ['userId', 'orderId'])
export class FillEntity {
  @PrimaryColumn({ name: 'trade_id', type: 'bigint', transformer: bigintNumber })
  tradeId!: number;

  @PrimaryColumn({ type: 'varchar', length: 1 })
  liquidity!: 'M' | 'T';

  @Column({ name: 'user_id', type: 'varchar', length: 128 })
  userId!: string;

  @Column({ name: 'order_id', type: 'bigint', transformer: bigintNumber })
  orderId!: number;

  @Column({ name: 'product_id', type: 'varchar', length: 64 })
  productId!: string;

  @DecimalColumn()
  price!: string;

  @DecimalColumn()
  size!: string;

  @DecimalColumn()
  fee!: string;

  @Column({ type: 'varchar', length: 4 })
  side!: 'buy' | 'sell';

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;
}

/** How far a projector got in the outcome log: one row per projector. */
@Entity({ name: 'exchange_checkpoints' })
export class CheckpointEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name!: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence!: number;
}
