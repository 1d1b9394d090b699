import type { CommandOutcome, DecimalEvent, ExchangeEvent } from '@sd/domain/exchange/event';
import type { RejectedRequest, Rejection } from '@sd/domain/exchange/rejection';
import type { ProductCatalog, ProductSpec } from '../catalog/product-catalog';
import { formatUnits } from './decimal-format';

/** A command outcome as clients see it. */
export interface DecimalOutcome {
  sequence: number | null;
  orderId: string | null;
  rejection: Rejection | null;
  events: DecimalEvent[];
}

/**
 * Turns engine events (integers in minor units) into decimal strings at each currency's
 * scale and string ids, for delivery and push. Kept off the engine's hot path: only the
 * consumers that show amounts pay for formatting.
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
        const scale = this.catalog.currency(event.currency)?.scale;
        if (scale === undefined) throw new Error(`unknown currency ${event.currency}`);
        return { ...event, available: formatUnits(event.available, scale), hold: formatUnits(event.hold, scale) };
      }
      case 'l2update': {
        const p = this.product(event.productId);
        return { ...event, changes: event.changes.map(([side, price, size]) => [side, quote(p, price), base(p, size)]) };
      }
    }
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
