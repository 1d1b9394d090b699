import type { ExchangeCommand, ExchangeRequest } from '@sd/domain/exchange/command';
import type { DecimalEvent } from '@sd/domain/exchange/event';
import type { RejectionCode } from '@sd/domain/exchange/rejection';
import type { EngineSnapshot } from '@sd/domain/exchange/snapshot';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../usecase/core/catalog/default-products';
import { ProductCatalog } from '../usecase/core/catalog/product-catalog';
import { ExchangeEngine, type EngineOptions } from '../usecase/core/engine/exchange-engine';
import { EventFormatter, type DecimalOutcome } from '../usecase/core/money/event-format';
import { stateHash } from './state-hash';
import { RequestParser } from '../usecase/write/request-parser';
import { checkInvariants, FillAudit } from './engine-invariants';

/**
 * Drives an engine command by command, as the sequencer would, and after every command
 * asserts the conservation invariants, the fill audit, and that a rejection changed nothing.
 */
export class EngineDriver {
  readonly engine: ExchangeEngine;
  readonly parser: RequestParser;
  readonly outcomes: DecimalOutcome[] = [];
  private readonly audit: FillAudit;
  readonly formatter: EventFormatter;
  private clock = 1_700_000_000_000;

  constructor(
    readonly catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS),
    options: EngineOptions = {},
  ) {
    this.engine = new ExchangeEngine(catalog, options);
    // As the API does: the engine's own catalog, which follows the products it lists.
    this.parser = new RequestParser(this.engine.catalog);
    this.audit = new FillAudit(this.engine.catalog);
    this.formatter = new EventFormatter(this.engine.catalog);
  }

  /** Parses and applies a request; a parse failure throws, so tests of the engine stay explicit. */
  run(request: ExchangeRequest): DecimalOutcome {
    const parsed = this.parser.parse(request);
    if (parsed.command === null) throw new Error(`request refused by the parser: ${parsed.rejection.code}`);
    return this.apply(parsed.command);
  }

  /** Applies a command and answers its outcome with decimal amounts, as a client sees it. */
  apply(command: ExchangeCommand): DecimalOutcome {
    const before = stateWithoutPosition(this.engine.snapshot());
    const outcome = this.engine.apply({ sequence: this.engine.lastSequence + 1, timestamp: ++this.clock, command });
    const decimal = this.formatter.outcome(outcome);
    this.outcomes.push(decimal);
    const snapshot = this.engine.snapshot();
    const problems = [...checkInvariants(snapshot, this.engine.catalog), ...this.audit.observe(outcome)];
    if (outcome.rejection !== null) {
      if (outcome.events.length > 0) problems.push('a rejection emitted events');
      if (stateWithoutPosition(snapshot) !== before) problems.push(`rejection ${outcome.rejection.code} changed the state`);
    }
    if (problems.length > 0) throw new Error(`after ${JSON.stringify(command)}:\n${problems.join('\n')}`);
    return decimal;
  }

  deposit(userId: string, currency: string, amount: string): DecimalOutcome {
    return this.run({ type: 'deposit', userId, currency, amount });
  }

  /** `{ available, hold }` of one currency as decimal strings. */
  balance(userId: string, currency: string): { available: string; hold: string } {
    const row = this.engine.balances(userId).find((b) => b.currency === currency);
    if (row === undefined) throw new Error(`unknown currency ${currency}`);
    const { available, hold } = this.formatter.balance(row);
    return { available, hold };
  }
}

/** State hash that ignores the sequence and timestamp a command always advances. */
export function stateWithoutPosition(snapshot: EngineSnapshot): string {
  return stateHash({ ...snapshot, sequence: 0, timestamp: 0 });
}

/** The events of one type in an outcome. */
export function ofType<T extends DecimalEvent['type']>(outcome: DecimalOutcome, type: T): Array<Extract<DecimalEvent, { type: T }>> {
  return outcome.events.filter((event): event is Extract<DecimalEvent, { type: T }> => event.type === type);
}

/** The `done` event of one order in an outcome; throws when there is none. */
export function done(outcome: DecimalOutcome, orderId: string): Extract<DecimalEvent, { type: 'done' }> {
  const event = ofType(outcome, 'done').find((e) => e.orderId === orderId);
  if (event === undefined) throw new Error(`no done event for ${orderId}`);
  return event;
}

/** A rejection with `code`, and no events. */
export function expectRejected(outcome: DecimalOutcome, code: RejectionCode): void {
  expect(outcome.rejection?.code).toBe(code);
  expect(outcome.events).toEqual([]);
}
