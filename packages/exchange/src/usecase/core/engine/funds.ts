import type { DepositCommand, TransferCommand, WithdrawCommand } from '@sd/domain/exchange/command';
import type { RejectionCode } from '@sd/domain/exchange/rejection';
import { MAX_SAFE } from '../money/scaled-math';
import type { EngineState } from './engine-state';
import { isPositiveAmount } from './order-rules';

/* Deposits, withdrawals and transfers: the commands that move funds without an order. */

export function deposit(state: EngineState, cmd: DepositCommand): RejectionCode | null {
  const { catalog, ledger } = state;
  const currency = catalog.currency(cmd.currency);
  if (currency === undefined) return 'UNKNOWN_CURRENCY';
  if (!isPositiveAmount(cmd.amount)) return 'INVALID_AMOUNT';
  // The supply bound keeps every balance, and every sum of balances, a safe integer.
  if ((ledger.supply[currency.index] as number) + cmd.amount > MAX_SAFE) return 'AMOUNT_TOO_LARGE';
  ledger.supply[currency.index]! += cmd.amount;
  ledger.credit(ledger.open(cmd.userId), currency.index, cmd.amount);
  return null;
}

export function withdraw(state: EngineState, cmd: WithdrawCommand): RejectionCode | null {
  const { catalog, ledger } = state;
  const currency = catalog.currency(cmd.currency);
  if (currency === undefined) return 'UNKNOWN_CURRENCY';
  if (!isPositiveAmount(cmd.amount)) return 'INVALID_AMOUNT';
  const user = ledger.find(cmd.userId);
  if (user === undefined || (user.available[currency.index] as number) < cmd.amount) return 'INSUFFICIENT_FUNDS';
  ledger.supply[currency.index]! -= cmd.amount;
  ledger.debit(user, currency.index, cmd.amount);
  return null;
}

export function transfer(state: EngineState, cmd: TransferCommand): RejectionCode | null {
  const { catalog, ledger } = state;
  const currency = catalog.currency(cmd.currency);
  if (currency === undefined) return 'UNKNOWN_CURRENCY';
  if (!isPositiveAmount(cmd.amount)) return 'INVALID_AMOUNT';
  if (cmd.fromUserId === cmd.toUserId) return 'INVALID_ARGUMENT';
  const from = ledger.find(cmd.fromUserId);
  if (from === undefined || (from.available[currency.index] as number) < cmd.amount) return 'INSUFFICIENT_FUNDS';
  ledger.debit(from, currency.index, cmd.amount);
  ledger.credit(ledger.open(cmd.toUserId), currency.index, cmd.amount);
  return null;
}
