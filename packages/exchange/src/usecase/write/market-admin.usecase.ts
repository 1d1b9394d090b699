import type { MarketRequest } from '@sd/domain/exchange/command';
import type { Product, ProductStatus } from '@sd/domain/exchange/product';
import type { ExchangeGateway } from './exchange-gateway';
import { executeAcknowledged, type AcknowledgedCommands } from './trading.usecase';

/**
 * What an admin changes of the market: each change is a command, sequenced and journaled
 * like an order, so every replica applies it at the same point. Answers the product as the
 * engine left it, once this instance's state includes it (the product trades at once).
 */
export class MarketAdminUseCase {
  constructor(
    private readonly gateway: ExchangeGateway,
    private readonly acknowledgements: AcknowledgedCommands,
  ) {}

  listProduct(adminId: string, product: Product): Promise<Product> {
    return this.change(adminId, { type: 'list_product', product });
  }

  setFees(adminId: string, productId: string, fees: { makerFeeRate: string; takerFeeRate: string }): Promise<Product> {
    return this.change(adminId, { type: 'set_product_fees', productId, ...fees });
  }

  setStatus(adminId: string, productId: string, status: ProductStatus): Promise<Product> {
    return this.change(adminId, { type: 'set_product_status', productId, status });
  }

  private async change(adminId: string, request: MarketRequest): Promise<Product> {
    const outcome = await executeAcknowledged(this.gateway, this.acknowledgements, adminId, request);
    const event = outcome.events.find((e) => e.type === 'product');
    if (event?.type !== 'product') throw new Error('an accepted market command emits its product');
    return event.product;
  }
}
