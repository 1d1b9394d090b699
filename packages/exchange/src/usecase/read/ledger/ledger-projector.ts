import type { LedgerChanges, LedgerEntry, LedgerStore, TransferType } from '@sd/domain/exchange/account-ledger';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { ProductCatalog } from '../../core/catalog/product-catalog';
import { formatUnits } from '../../core/money/decimal';
import { transfersOf } from '../../core/transfer-view';
import { projectOnce } from '../checkpointed';

type NewEntry = Omit<LedgerEntry, 'id'>;
/** An entry before formatting: its amount in minor units, signed. */
type Change = Omit<NewEntry, 'amount' | 'balance'> & { units: number };

/**
 * Keeps every user's account ledger (each change of a balance: trades, fees, deposits,
 * withdrawals, transfers) and the transfer history, from the engine's outcomes. Idempotent
 * by checkpoint, like the order history.
 */
export class LedgerProjector {
  constructor(
    private readonly catalog: ProductCatalog,
    private readonly store: LedgerStore,
  ) {}

  /** `outcomes` in sequence order, as the sequencer published them. */
  project(outcomes: readonly CommandOutcome[]): Promise<void> {
    return projectOnce(this.store, outcomes, (fresh): LedgerChanges => ({
      entries: fresh.flatMap((outcome) => ledgerEntriesOf(outcome, this.catalog)),
      transfers: fresh.flatMap((outcome) => transfersOf(outcome, this.catalog)),
      checkpoint: fresh[fresh.length - 1]!.sequence,
    }));
  }
}

/**
 * The ledger entries of one outcome, in the order the changes happened: a transfer's, or per
 * trade each side's two `match` entries (base and quote) and its `fee`. The balance after each
 * entry is read back from the outcome's balance events (the balance after the command) minus
 * the entries that follow it, so it is exact without any stored state. The fee account's
 * credits are the exchange's, not a user's, and are left out.
 */
export function ledgerEntriesOf(outcome: CommandOutcome, catalog: ProductCatalog): NewEntry[] {
  if (outcome.rejection !== null) return [];
  const { sequence, timestamp: createdAt } = outcome;
  const base = { orderId: null, tradeId: null, productId: null, transferId: null, transferType: null, createdAt, sequence };
  const changes: Change[] = [];
  const transfer = (userId: string, currency: string, units: number, transferType: TransferType): void => {
    changes.push({ ...base, userId, currency, units, type: 'transfer', transferId: sequence, transferType });
  };
  const { command } = outcome;
  if (command.type === 'deposit') transfer(command.userId, command.currency, command.amount, 'deposit');
  else if (command.type === 'withdraw') transfer(command.userId, command.currency, -command.amount, 'withdraw');
  else if (command.type === 'transfer') {
    transfer(command.fromUserId, command.currency, -command.amount, 'internal_withdraw');
    transfer(command.toUserId, command.currency, command.amount, 'internal_deposit');
  }
  for (const event of outcome.events) {
    if (event.type !== 'match') continue;
    const spec = catalog.product(event.productId);
    if (spec === undefined) throw new Error(`unknown product ${event.productId}`);
    const trade = { ...base, tradeId: event.tradeId, productId: event.productId };
    const makerBuys = event.side === 'buy';
    const sides = [
      { userId: event.makerUserId, orderId: event.makerOrderId, buys: makerBuys, fee: event.makerFee },
      { userId: event.takerUserId, orderId: event.takerOrderId, buys: !makerBuys, fee: event.takerFee },
    ];
    for (const { userId, orderId, buys, fee } of sides) {
      const side = { ...trade, userId, orderId };
      changes.push({ ...side, currency: spec.base.id, units: buys ? event.size : -event.size, type: 'match' });
      changes.push({ ...side, currency: spec.quote.id, units: buys ? -event.funds : event.funds, type: 'match' });
      if (fee > 0) changes.push({ ...side, currency: spec.quote.id, units: -fee, type: 'fee' });
    }
  }
  return withBalances(outcome, changes, catalog);
}

function withBalances(outcome: CommandOutcome, changes: readonly Change[], catalog: ProductCatalog): NewEntry[] {
  const after = new Map<string, number>();
  for (const event of outcome.events) if (event.type === 'balance') after.set(`${event.userId}\n${event.currency}`, event.available + event.hold);
  const entries = new Array<NewEntry>(changes.length);
  for (let i = changes.length - 1; i >= 0; i--) {
    const { units, ...change } = changes[i]!;
    const key = `${change.userId}\n${change.currency}`;
    const balance = after.get(key);
    if (balance === undefined) throw new Error(`outcome ${outcome.sequence} changed ${change.userId}'s ${change.currency} without a balance event`);
    const scale = catalog.currency(change.currency)!.scale;
    entries[i] = { ...change, amount: units < 0 ? `-${formatUnits(-units, scale)}` : formatUnits(units, scale), balance: formatUnits(balance, scale) };
    after.set(key, balance - units);
  }
  return entries;
}
