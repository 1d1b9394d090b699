import type { EngineSnapshot, SnapshotOrder } from '@sd/domain/exchange/snapshot';
import type { MarketDefinition } from '@sd/domain/exchange/product';
import { BinaryReader, BinaryWriter } from './binary-buffer';
import { decodeProduct, encodeProduct } from './command-codec';

const MAGIC = 0x4e534453; // "SDSN"
/** 2 added the market (currencies and products); 1 is still read, with no market. */
const VERSION = 2;
const STP = ['dc', 'co', 'cn', 'cb'] as const;

/**
 * Binary, order-preserving encoding of an engine snapshot. It is also the stable
 * serialization the state hash is computed over, so two engines with equal state encode to
 * equal bytes.
 */
export function encodeSnapshot(snapshot: EngineSnapshot): Buffer {
  const w = new BinaryWriter(1 << 20);
  w.u32(MAGIC);
  w.u8(VERSION);
  w.f64(snapshot.sequence);
  w.f64(snapshot.timestamp);
  w.f64(snapshot.lastTradeId);
  w.bool(snapshot.market !== null);
  if (snapshot.market !== null) encodeMarket(w, snapshot.market);
  w.u32(snapshot.supply.length);
  for (const { currency, amount } of snapshot.supply) {
    w.str(currency);
    w.f64(amount);
  }
  w.u32(snapshot.accounts.length);
  for (const account of snapshot.accounts) {
    w.str(account.userId);
    w.str(account.currency);
    w.f64(account.available);
    w.f64(account.hold);
  }
  w.u32(snapshot.products.length);
  for (const product of snapshot.products) {
    w.str(product.productId);
    w.f64(product.bookSequence);
    w.u32(product.orders.length);
    for (const order of product.orders) encodeOrder(w, order);
  }
  w.u32(snapshot.clientOids.length);
  for (const { userId, clientOid } of snapshot.clientOids) {
    w.str(userId);
    w.str(clientOid);
  }
  return Buffer.from(w.view());
}

export function decodeSnapshot(bytes: Buffer): EngineSnapshot {
  const r = new BinaryReader(bytes);
  if (r.u32() !== MAGIC) throw new Error('not an engine snapshot');
  const version = r.u8();
  if (version !== VERSION && version !== 1) throw new Error(`unsupported snapshot version ${version}`);
  const sequence = r.f64();
  const timestamp = r.f64();
  const lastTradeId = r.f64();
  const market = version >= 2 && r.bool() ? decodeMarket(r) : null;
  const supply = repeat(r, () => ({ currency: r.str(), amount: r.f64() }));
  const accounts = repeat(r, () => ({ userId: r.str(), currency: r.str(), available: r.f64(), hold: r.f64() }));
  const products = repeat(r, () => ({ productId: r.str(), bookSequence: r.f64(), orders: repeat(r, () => decodeOrder(r)) }));
  const clientOids = repeat(r, () => ({ userId: r.str(), clientOid: r.str() }));
  if (r.offset !== bytes.length) throw new Error('trailing bytes after snapshot');
  return { sequence, timestamp, lastTradeId, market, supply, accounts, products, clientOids };
}

function encodeMarket(w: BinaryWriter, market: MarketDefinition): void {
  w.u32(market.currencies.length);
  for (const { id, scale } of market.currencies) {
    w.str(id);
    w.u8(scale);
  }
  w.u32(market.products.length);
  for (const product of market.products) encodeProduct(w, product);
}

function decodeMarket(r: BinaryReader): MarketDefinition {
  return { currencies: repeat(r, () => ({ id: r.str(), scale: r.u8() })), products: repeat(r, () => decodeProduct(r)) };
}

function encodeOrder(w: BinaryWriter, order: SnapshotOrder): void {
  w.f64(order.id);
  w.str(order.userId);
  w.u8(order.side === 'buy' ? 0 : 1);
  w.f64(order.price);
  w.f64(order.size);
  w.f64(order.remaining);
  w.f64(order.hold);
  w.f64(order.filled);
  w.f64(order.executedValue);
  w.f64(order.fees);
  w.f64(order.makerNotional);
  w.f64(order.takerNotional);
  w.u8(STP.indexOf(order.stp));
  w.bool(order.postOnly);
  w.nullableStr(order.clientOid);
  w.f64(order.createdAt);
}

function decodeOrder(r: BinaryReader): SnapshotOrder {
  const id = r.f64();
  const userId = r.str();
  const side = r.u8() === 0 ? 'buy' : 'sell';
  const [price, size, remaining, hold, filled, executedValue, fees, makerNotional, takerNotional] = [
    r.f64(), r.f64(), r.f64(), r.f64(), r.f64(), r.f64(), r.f64(), r.f64(), r.f64(),
  ] as const;
  const stp = STP[r.u8()];
  if (stp === undefined) throw new Error(`corrupt snapshot order ${id}`);
  return {
    id, userId, side, price, size, remaining, hold, filled, executedValue, fees, makerNotional, takerNotional, stp,
    postOnly: r.bool(),
    clientOid: r.nullableStr(),
    createdAt: r.f64(),
  };
}

function repeat<T>(r: BinaryReader, read: () => T): T[] {
  const count = r.u32();
  const items: T[] = [];
  for (let i = 0; i < count; i++) items.push(read());
  return items;
}
