import type { Transfer } from '@sd/domain/exchange/account-ledger';
import type { ExchangeRequest } from '@sd/domain/exchange/command';
import type { ProductCatalog } from '../core/catalog/product-catalog';
import { transfersOf } from '../core/transfer-view';
import type { ExchangeGateway } from './exchange-gateway';
import { executeAcknowledged, type AcknowledgedCommands } from './trading.usecase';

/** A withdrawal as a client asks for it: decimal amount, and where to (kept in the history). */
export interface WithdrawalRequest {
  currency: string;
  amount: string;
  cryptoAddress: string;
}

/**
 * Funds in and out of the exchange. Each is a command through the gateway (parse, sequence),
 * settled when the engine applies it: the exchange simulates the chain, as the faucet does
 * for deposits. Answers the transfer as the history records it, once this instance's state
 * includes it; a refusal (insufficient funds, unknown currency, bad amount) is thrown.
 */
export class FundsUseCase {
  constructor(
    private readonly gateway: ExchangeGateway,
    /** The market as the engine this process reads has it (currency scales). */
    private readonly catalog: ProductCatalog,
    private readonly acknowledgements: AcknowledgedCommands,
  ) {}

  deposit(userId: string, currency: string, amount: string): Promise<Transfer> {
    return this.transfer(userId, { type: 'deposit', userId, currency, amount });
  }

  withdraw(userId: string, { currency, amount, cryptoAddress }: WithdrawalRequest): Promise<Transfer> {
    return this.transfer(userId, { type: 'withdraw', userId, currency, amount, cryptoAddress });
  }

  private async transfer(userId: string, request: ExchangeRequest): Promise<Transfer> {
    const outcome = await executeAcknowledged(this.gateway, this.acknowledgements, userId, request);
    return transfersOf(outcome, this.catalog)[0]!;
  }
}
