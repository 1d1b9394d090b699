import type { CurrencySpec } from '../core/catalog/product-catalog';
import type { EngineReader } from '../core/engine/engine-reader';
import type { FundsUseCase } from '../write/funds.usecase';
import { amountOf } from './product-grid';

/** The fixed accounts of the sandbox's traders: the same ids on every start, so a restart finds their orders and funds. */
export const sandboxMaker = (productId: string): string => `sandbox-maker-${productId}`;
export const sandboxTaker = (productId: string, taker: number): string => `sandbox-taker-${taker}-${productId}`;

/**
 * Keeps the sandbox traders funded through deposit commands, as any user is: a trader short of
 * what an order needs gets twice that, or `floor` if more. Only the shortfall decides, so the
 * same orders give the same deposits (a replay stays deterministic).
 */
export class SandboxFunds {
  constructor(
    private readonly funds: FundsUseCase,
    private readonly reader: EngineReader,
  ) {}

  async ensure(userId: string, currency: CurrencySpec, needUnits: number, floorUnits = 0): Promise<void> {
    const available = this.available(userId, currency);
    if (available >= needUnits) return;
    await this.funds.deposit(userId, currency.id, amountOf(Math.max(2 * needUnits, floorUnits) - available, currency));
  }

  private available(userId: string, currency: CurrencySpec): number {
    return this.reader.engine.balances(userId).find((balance) => balance.currency === currency.id)?.available ?? 0;
  }
}
