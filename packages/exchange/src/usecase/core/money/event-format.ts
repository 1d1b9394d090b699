import type { CommandOutcome, DecimalEvent, ExchangeEvent } from '@sd/domain/exchange/event';
import type { RejectedRequest, Rejection } from '@sd/domain/exchange/rejection';
import type { ProductCatalog, ProductSpec } from '../catalog/product-catalog';
import type { BalanceView, BookView, Level2Row, Level3Row } from '../engine/engine-views';
import { formatUnits } from './decimal';

/** A command outcome as clients see it. */
export interface DecimalOutcome {
  sequence: number | null;
  orderId: string | null;
  rejection: Rejection | null;
  events: DecimalEvent[];
}

/** A balance as clients see it; `balance` is available + hold. */
export interface DecimalBalance {
  currency: string;
  available: string;
  hold: string;
  balance: string;
}

/**
 * Turns engine events and views (integers in minor units) into decimal strings at each
 * currency's scale and string ids, for delivery and push. Kept off the engine's hot path:
 * only the consumers that show amounts pay for formatting.
 */
export class EventFormatter {
  constructor(private readonly catalog: ProductCatalog) {}

  outcome(outcome: CommandOutcome | RejectedRequest): DecimalOutcome {
    return {
      sequence: outcome.sequence,
      orderId: outcome.orderId === null ? null : String(outcome.orderId),
      rejection: outcome.rejection,
      events: outcome.events.map((event) => this.event(event)),
    };
  }

  event(event: ExchangeEvent): DecimalEvent {
    switch (event.type) {
      case 'product':
        return event;
      case 'received': {
        const p = this.product(event.productId);
        return { ...event, orderId: String(event.orderId), price: quote(p, event.price), size: base(p, event.size), funds: quote(p, event.funds) };
      }
      case 'open': {
        const p = this.product(event.productId);
        return { ...event, orderId: String(event.orderId), price: quote(p, event.price), remainingSize: base(p, event.remainingSize) };
      }
      case 'match': {
        const p = this.product(event.productId);
        return {
          ...event,
          tradeId: String(event.tradeId),
          makerOrderId: String(event.makerOrderId),
          takerOrderId: String(event.takerOrderId),
          price: quote(p, event.price),
          size: base(p, event.size),
          funds: quote(p, event.funds),
          makerFee: quote(p, event.makerFee),
          takerFee: quote(p, event.takerFee),
        };
      }
      case 'change': {
        const p = this.product(event.productId);
        return { ...event, orderId: String(event.orderId), price: quote(p, event.price), oldSize: base(p, event.oldSize), newSize: base(p, event.newSize) };
      }
      case 'done': {
        const p = this.product(event.productId);
        return {
          ...event,
          orderId: String(event.orderId),
          price: quote(p, event.price),
          remainingSize: base(p, event.remainingSize),
          filledSize: base(p, event.filledSize),
          executedValue: quote(p, event.executedValue),
          fillFees: quote(p, event.fillFees),
        };
      }
      case 'balance': {
        const scale = this.currency(event.currency);
        return { ...event, available: formatUnits(event.available, scale), hold: formatUnits(event.hold, scale) };
      }
      case 'l2update': {
        const p = this.product(event.productId);
        return { ...event, changes: event.changes.map(([side, price, size]) => [side, quote(p, price), base(p, size)]) };
      }
    }
  }

  balance(view: BalanceView): DecimalBalance {
    const scale = this.currency(view.currency);
    return {
      currency: view.currency,
      available: formatUnits(view.available, scale),
      hold: formatUnits(view.hold, scale),
      // The supply bound keeps the sum a safe integer.
      balance: formatUnits(view.available + view.hold, scale),
    };
  }

  /** Level-2 rows `[price, size, order count]`. */
  level2(view: BookView<Level2Row>): BookView<[string, string, number]> {
    const p = this.product(view.productId);
    const rows = (levels: Level2Row[]): Array<[string, string, number]> => levels.map(([price, size, count]) => [quote(p, price), base(p, size), count]);
    return { ...view, bids: rows(view.bids), asks: rows(view.asks) };
  }

  /** Level-3 rows `[price, size, order id]`. */
  level3(view: BookView<Level3Row>): BookView<[string, string, string]> {
    const p = this.product(view.productId);
    const rows = (levels: Level3Row[]): Array<[string, string, string]> => levels.map(([price, size, id]) => [quote(p, price), base(p, size), String(id)]);
    return { ...view, bids: rows(view.bids), asks: rows(view.asks) };
  }

  private currency(id: string): number {
    const scale = this.catalog.currency(id)?.scale;
    if (scale === undefined) throw new Error(`unknown currency ${id}`);
    return scale;
  }

  private product(id: string): ProductSpec {
    const product = this.catalog.product(id);
    if (product === undefined) throw new Error(`unknown product ${id}`);
    return product;
  }
}

function quote<T extends number | null>(product: ProductSpec, units: T): T extends number ? string : string | null {
  return (units === null ? null : formatUnits(units, product.quote.scale)) as T extends number ? string : string | null;
}

function base<T extends number | null>(product: ProductSpec, units: T): T extends number ? string : string | null {
  return (units === null ? null : formatUnits(units, product.base.scale)) as T extends number ? string : string | null;
}
