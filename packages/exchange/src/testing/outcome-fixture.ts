import type { ExchangeRequest, PlaceOrderRequest } from '@sd/domain/exchange/command';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../usecase/core/catalog/default-products';
import { ProductCatalog } from '../usecase/core/catalog/product-catalog';
import { ExchangeEngine } from '../usecase/core/engine/exchange-engine';
import { RequestParser } from '../usecase/write/request-parser';

/** 2024-01-01T00:00:00Z, a whole day: every candle bucket starts there. */
export const T0 = Date.UTC(2024, 0, 1);

/**
 * Real engine outcomes for the read-side suites: requests go through the parser and the
 * engine, at a clock the test moves, exactly as the sequencer would publish them.
 */
export class OutcomeFixture {
  readonly catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
  private readonly engine = new ExchangeEngine(this.catalog);
  private readonly parser = new RequestParser(this.catalog);
  /** Epoch milliseconds of the next command. */
  now = T0;

  run(request: ExchangeRequest): CommandOutcome {
    const parsed = this.parser.parse(request);
    if (parsed.command === null) throw new Error(`request refused: ${parsed.rejection.code}`);
    const outcome = this.engine.apply({ sequence: this.engine.lastSequence + 1, timestamp: this.now, command: parsed.command });
    if (outcome.rejection !== null) throw new Error(`command rejected: ${outcome.rejection.code}`);
    return outcome;
  }

  /** Runs each request at the current time and answers the batch. */
  batch(...requests: ExchangeRequest[]): CommandOutcome[] {
    return requests.map((request) => this.run(request));
  }

  /** Deposits plenty of every currency for each user. */
  fund(...users: string[]): CommandOutcome[] {
    return users.flatMap((userId) => DEFAULT_CURRENCIES.map(({ id }) => this.run({ type: 'deposit', userId, currency: id, amount: '1000000' })));
  }
}

export function limit(userId: string, side: 'buy' | 'sell', price: string, size: string, extra: Partial<PlaceOrderRequest> = {}): PlaceOrderRequest {
  return { type: 'place', userId, productId: 'BTC-USDT', side, orderType: 'limit', price, size, ...extra };
}

export function market(userId: string, side: 'buy' | 'sell', amount: { size?: string; funds?: string }, extra: Partial<PlaceOrderRequest> = {}): PlaceOrderRequest {
  return { type: 'place', userId, productId: 'BTC-USDT', side, orderType: 'market', ...amount, ...extra };
}

/** The order id the engine gave an accepted place command. */
export function orderIdOf(outcome: CommandOutcome): number {
  if (outcome.orderId === null) throw new Error('not an accepted order');
  return outcome.orderId;
}
