import type { ExchangeRequest, PlaceOrderRequest } from '@sd/domain/exchange/command';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { OrderView } from '@sd/domain/exchange/order-history';
import type { OrderViews } from '../core/order-view';
import { rejectionError, type ExchangeGateway } from './exchange-gateway';

/** A new order as delivery hands it over: the request's fields, for the parser to check. */
export type NewOrder = Omit<PlaceOrderRequest, 'type' | 'userId'>;

/**
 * Told of every command the exchange acknowledged to a user, once the state this process
 * reads includes it: reads wait for a user's last acknowledged command (read your writes).
 */
export interface AcknowledgedCommands {
  acknowledged(userId: string, sequence: number): Promise<void>;
}

/**
 * What a trader changes through the API: every command goes through the gateway (parse,
 * then sequence); a rejection of either kind is thrown as its domain error.
 */
export class TradingUseCase {
  constructor(
    private readonly gateway: ExchangeGateway,
    private readonly views: OrderViews,
    private readonly acknowledgements: AcknowledgedCommands,
  ) {}

  async placeOrder(userId: string, order: NewOrder): Promise<OrderView> {
    return this.views.placed(await this.execute(userId, { ...order, type: 'place', userId }));
  }

  /** Answers the canceled order's id. */
  async cancelOrder(userId: string, orderId: string): Promise<string> {
    const outcome = await this.execute(userId, { type: 'cancel', userId, orderId });
    return canceledIds(outcome)[0] ?? orderId;
  }

  async cancelByClientOid(userId: string, clientOid: string): Promise<string> {
    return canceledIds(await this.execute(userId, { type: 'cancel_client_oid', userId, clientOid }))[0]!;
  }

  async cancelAll(userId: string, productId?: string): Promise<string[]> {
    return canceledIds(await this.execute(userId, { type: 'cancel_all', userId, productId }));
  }

  private execute(userId: string, request: ExchangeRequest): Promise<CommandOutcome> {
    return executeAcknowledged(this.gateway, this.acknowledgements, userId, request);
  }
}

/**
 * Parses and sequences `request` for `userId`, waits until this instance's state includes
 * it (read your writes), and throws a rejection of either kind as its domain error.
 */
export async function executeAcknowledged(
  gateway: ExchangeGateway,
  acknowledgements: AcknowledgedCommands,
  userId: string,
  request: ExchangeRequest,
): Promise<CommandOutcome> {
  const outcome = await gateway.execute(request);
  if (outcome.sequence !== null) await acknowledgements.acknowledged(userId, outcome.sequence);
  if (outcome.rejection !== null) throw rejectionError(outcome.rejection);
  return outcome as CommandOutcome;
}

/** Ids of the orders a cancel command ended, in the order the engine ended them. */
function canceledIds(outcome: CommandOutcome): string[] {
  const ids: string[] = [];
  for (const event of outcome.events) if (event.type === 'done' && event.reason === 'canceled') ids.push(String(event.orderId));
  return ids;
}
