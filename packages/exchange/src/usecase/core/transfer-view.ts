import type { Transfer } from '@sd/domain/exchange/account-ledger';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { ProductCatalog } from './catalog/product-catalog';
import { formatUnits } from './money/decimal';

/**
 * The transfers an accepted command made, as the transfer history keeps them and as the
 * write side answers them: a deposit, a withdrawal, or both halves of a transfer between two
 * users. Settlement is the command itself, so a transfer is complete when it is applied.
 */
export function transfersOf(outcome: CommandOutcome, catalog: ProductCatalog): Transfer[] {
  const { command, sequence: id, timestamp: createdAt } = outcome;
  if (outcome.rejection !== null) return [];
  const amountOf = (currency: string, units: number): string => {
    const spec = catalog.currency(currency);
    if (spec === undefined) throw new Error(`unknown currency ${currency}`);
    return formatUnits(units, spec.scale);
  };
  switch (command.type) {
    case 'deposit':
      return [{ id, userId: command.userId, type: 'deposit', currency: command.currency, amount: amountOf(command.currency, command.amount), cryptoAddress: null, createdAt }];
    case 'withdraw': {
      const amount = amountOf(command.currency, command.amount);
      return [{ id, userId: command.userId, type: 'withdraw', currency: command.currency, amount, cryptoAddress: command.cryptoAddress ?? null, createdAt }];
    }
    case 'transfer': {
      const amount = amountOf(command.currency, command.amount);
      return [
        { id, userId: command.fromUserId, type: 'internal_withdraw', currency: command.currency, amount, cryptoAddress: null, createdAt },
        { id, userId: command.toUserId, type: 'internal_deposit', currency: command.currency, amount, cryptoAddress: null, createdAt },
      ];
    }
    default:
      return [];
  }
}
