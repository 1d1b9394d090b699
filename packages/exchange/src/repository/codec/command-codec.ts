import type { ExchangeCommand, OrderSide, SelfTradePrevention, TimeInForce } from '@sd/domain/exchange/command';
import { PRODUCT_STATUSES, type Product, type ProductStatus } from '@sd/domain/exchange/product';
import type { BinaryReader, BinaryWriter } from './binary-buffer';

/**
 * Compact binary form of a command for the journal and any log transport: one type byte,
 * then fields in a fixed order. Replay decodes this instead of parsing JSON.
 */
const PLACE = 1;
const CANCEL = 2;
const CANCEL_CLIENT_OID = 3;
const CANCEL_ALL = 4;
const DEPOSIT = 5;
const WITHDRAW = 6;
const TRANSFER = 7;
const LIST_PRODUCT = 8;
const SET_PRODUCT_FEES = 9;
const SET_PRODUCT_STATUS = 10;
/** A withdrawal with its destination; `WITHDRAW` (without) still decodes from older journals. */
const WITHDRAW_TO = 11;

const TIME_IN_FORCE: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];
const STP: readonly SelfTradePrevention[] = ['dc', 'co', 'cn', 'cb'];
const SELL = 1;
const MARKET = 2;
const POST_ONLY = 4;

export function encodeCommand(w: BinaryWriter, command: ExchangeCommand): void {
  switch (command.type) {
    case 'place':
      w.u8(PLACE);
      w.str(command.userId);
      w.str(command.productId);
      w.u8((command.side === 'sell' ? SELL : 0) | (command.orderType === 'market' ? MARKET : 0) | (command.postOnly ? POST_ONLY : 0));
      w.u8(TIME_IN_FORCE.indexOf(command.timeInForce));
      w.u8(STP.indexOf(command.stp));
      w.f64(command.price);
      w.f64(command.size);
      w.f64(command.funds);
      w.nullableStr(command.clientOid);
      return;
    case 'cancel':
      w.u8(CANCEL);
      w.str(command.userId);
      w.f64(command.orderId);
      return;
    case 'cancel_client_oid':
      w.u8(CANCEL_CLIENT_OID);
      w.str(command.userId);
      w.str(command.clientOid);
      return;
    case 'cancel_all':
      w.u8(CANCEL_ALL);
      w.str(command.userId);
      w.nullableStr(command.productId);
      return;
    case 'deposit':
    case 'withdraw':
      w.u8(command.type === 'deposit' ? DEPOSIT : command.cryptoAddress === undefined ? WITHDRAW : WITHDRAW_TO);
      w.str(command.userId);
      w.str(command.currency);
      w.f64(command.amount);
      if (command.type === 'withdraw' && command.cryptoAddress !== undefined) w.str(command.cryptoAddress);
      return;
    case 'transfer':
      w.u8(TRANSFER);
      w.str(command.fromUserId);
      w.str(command.toUserId);
      w.str(command.currency);
      w.f64(command.amount);
      return;
    case 'list_product':
      w.u8(LIST_PRODUCT);
      encodeProduct(w, command.product);
      return;
    case 'set_product_fees':
      w.u8(SET_PRODUCT_FEES);
      w.str(command.productId);
      w.str(command.makerFeeRate);
      w.str(command.takerFeeRate);
      return;
    case 'set_product_status':
      w.u8(SET_PRODUCT_STATUS);
      w.str(command.productId);
      w.u8(PRODUCT_STATUSES.indexOf(command.status));
      return;
  }
}

export function decodeCommand(r: BinaryReader): ExchangeCommand {
  const type = r.u8();
  switch (type) {
    case PLACE: {
      const userId = r.str();
      const productId = r.str();
      const flags = r.u8();
      const timeInForce = TIME_IN_FORCE[r.u8()];
      const stp = STP[r.u8()];
      if (timeInForce === undefined || stp === undefined) throw new Error('corrupt place command');
      const side: OrderSide = flags & SELL ? 'sell' : 'buy';
      return {
        type: 'place',
        userId,
        productId,
        side,
        orderType: flags & MARKET ? 'market' : 'limit',
        price: r.f64(),
        size: r.f64(),
        funds: r.f64(),
        timeInForce,
        postOnly: (flags & POST_ONLY) !== 0,
        stp,
        clientOid: r.nullableStr(),
      };
    }
    case CANCEL:
      return { type: 'cancel', userId: r.str(), orderId: r.f64() };
    case CANCEL_CLIENT_OID:
      return { type: 'cancel_client_oid', userId: r.str(), clientOid: r.str() };
    case CANCEL_ALL:
      return { type: 'cancel_all', userId: r.str(), productId: r.nullableStr() };
    case DEPOSIT:
    case WITHDRAW:
      return { type: type === DEPOSIT ? 'deposit' : 'withdraw', userId: r.str(), currency: r.str(), amount: r.f64() };
    case WITHDRAW_TO:
      return { type: 'withdraw', userId: r.str(), currency: r.str(), amount: r.f64(), cryptoAddress: r.str() };
    case TRANSFER:
      return { type: 'transfer', fromUserId: r.str(), toUserId: r.str(), currency: r.str(), amount: r.f64() };
    case LIST_PRODUCT:
      return { type: 'list_product', product: decodeProduct(r) };
    case SET_PRODUCT_FEES:
      return { type: 'set_product_fees', productId: r.str(), makerFeeRate: r.str(), takerFeeRate: r.str() };
    case SET_PRODUCT_STATUS:
      return { type: 'set_product_status', productId: r.str(), status: decodeStatus(r) };
    default:
      throw new Error(`unknown command type ${type}`);
  }
}

/** A product as data (the list command, the snapshot's market): its strings in a fixed order, then the status byte. */
export function encodeProduct(w: BinaryWriter, product: Product): void {
  w.str(product.id);
  w.str(product.baseCurrency);
  w.str(product.quoteCurrency);
  w.str(product.priceIncrement);
  w.str(product.sizeIncrement);
  w.str(product.minSize);
  w.str(product.minFunds);
  w.str(product.maxNotional);
  w.str(product.makerFeeRate);
  w.str(product.takerFeeRate);
  w.u8(PRODUCT_STATUSES.indexOf(product.status));
}

export function decodeProduct(r: BinaryReader): Product {
  return {
    id: r.str(),
    baseCurrency: r.str(),
    quoteCurrency: r.str(),
    priceIncrement: r.str(),
    sizeIncrement: r.str(),
    minSize: r.str(),
    minFunds: r.str(),
    maxNotional: r.str(),
    makerFeeRate: r.str(),
    takerFeeRate: r.str(),
    status: decodeStatus(r),
  };
}

function decodeStatus(r: BinaryReader): ProductStatus {
  const status = PRODUCT_STATUSES[r.u8()];
  if (status === undefined) throw new Error('corrupt product status');
  return status;
}
