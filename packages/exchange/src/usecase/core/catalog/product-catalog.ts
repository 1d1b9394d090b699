import Big from 'big.js';
import type { Currency, Product, ProductStatus } from '@sd/domain/exchange/product';
import { MAX_SAFE, PPM } from '../money/scaled-math';

export interface CurrencySpec {
  readonly id: string;
  /** Position in the engine's per-user balance arrays. */
  readonly index: number;
  readonly scale: number;
  /** 10^-scale. */
  readonly unit: Big;
}

/** A product compiled to the integers the hot path uses; built and checked once at load. */
export interface ProductSpec {
  readonly id: string;
  readonly index: number;
  readonly base: CurrencySpec;
  readonly quote: CurrencySpec;
  readonly priceIncrement: Big;
  readonly sizeIncrement: Big;
  /** Quote minor units per tick. */
  readonly tickUnits: number;
  /** Base minor units per lot. */
  readonly lotUnits: number;
  /** Quote minor units of one tick × one lot: notional = ticks × lots × lotTickUnits. */
  readonly lotTickUnits: number;
  /** Largest price in ticks and size in lots whose minor units stay safe integers. */
  readonly maxPrice: number;
  readonly maxSize: number;
  readonly minSize: number;
  /** Quote minor units. */
  readonly minFunds: number;
  readonly maxNotional: number;
  readonly makerFeePpm: number;
  readonly takerFeePpm: number;
  readonly status: ProductStatus;
  readonly source: Product;
}

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

/**
 * The currencies and products the engine trades, validated so that every amount the engine
 * computes is an exact integer: increments are whole minor units, a tick times a lot is a
 * whole number of quote minor units, fee rates are whole parts per million, and the largest
 * order plus its fee stays a safe integer. A bad config throws at startup.
 */
export class ProductCatalog {
  readonly currencies: readonly CurrencySpec[];
  readonly products: readonly ProductSpec[];
  private readonly currencyById = new Map<string, CurrencySpec>();
  private readonly productById = new Map<string, ProductSpec>();

  constructor(currencies: readonly Currency[], products: readonly Product[]) {
    this.currencies = currencies.map((currency, index) => {
      if (!Number.isInteger(currency.scale) || currency.scale < 0 || currency.scale > 18) {
        throw new Error(`currency ${currency.id}: scale must be an integer in 0..18`);
      }
      if (this.currencyById.has(currency.id)) throw new Error(`currency ${currency.id} is listed twice`);
      const spec: CurrencySpec = { id: currency.id, index, scale: currency.scale, unit: new Big(1).div(new Big(10).pow(currency.scale)) };
      this.currencyById.set(currency.id, spec);
      return spec;
    });
    this.products = products.map((product, index) => {
      if (this.productById.has(product.id)) throw new Error(`product ${product.id} is listed twice`);
      const spec = this.compile(product, index);
      this.productById.set(product.id, spec);
      return spec;
    });
  }

  product(id: string): ProductSpec | undefined {
    return this.productById.get(id);
  }

  currency(id: string): CurrencySpec | undefined {
    return this.currencyById.get(id);
  }

  private compile(product: Product, index: number): ProductSpec {
    const fail = (why: string): never => {
      throw new Error(`product ${product.id}: ${why}`);
    };
    const base = this.currencyById.get(product.baseCurrency) ?? fail(`unknown base currency ${product.baseCurrency}`);
    const quote = this.currencyById.get(product.quoteCurrency) ?? fail(`unknown quote currency ${product.quoteCurrency}`);
    if (base === quote) fail('base and quote currency must differ');
    const decimal = (field: keyof Product): Big => {
      const text = String(product[field]);
      if (!DECIMAL.test(text)) fail(`${field} must be a plain decimal string, got "${text}"`);
      return new Big(text);
    };
    const wholeMultiple = (field: keyof Product, of: Big, what: string): number => {
      const value = decimal(field);
      const count = value.div(of);
      if (!count.eq(count.round(0, Big.roundDown))) fail(`${field} ${value.toFixed()} is not a multiple of ${what}`);
      if (count.gt(MAX_SAFE)) fail(`${field} is too large`);
      return count.toNumber();
    };
    const priceIncrement = decimal('priceIncrement');
    const sizeIncrement = decimal('sizeIncrement');
    if (priceIncrement.lte(0) || sizeIncrement.lte(0)) fail('increments must be positive');
    const tickUnits = wholeMultiple('priceIncrement', quote.unit, `the ${quote.id} minor unit`);
    const lotUnits = wholeMultiple('sizeIncrement', base.unit, `the ${base.id} minor unit`);
    const lotTick = priceIncrement.times(sizeIncrement).div(quote.unit);
    if (!lotTick.eq(lotTick.round(0, Big.roundDown))) {
      fail(`priceIncrement × sizeIncrement must be a whole number of ${quote.id} minor units`);
    }
    const makerFeePpm = wholeMultiple('makerFeeRate', new Big(1).div(PPM), 'one part per million');
    const takerFeePpm = wholeMultiple('takerFeeRate', new Big(1).div(PPM), 'one part per million');
    if (makerFeePpm > PPM / 10 || takerFeePpm > PPM / 10) fail('fee rates above 10 % are refused');
    const minSize = wholeMultiple('minSize', sizeIncrement, 'sizeIncrement');
    const minFunds = wholeMultiple('minFunds', quote.unit, `the ${quote.id} minor unit`);
    const maxNotional = wholeMultiple('maxNotional', quote.unit, `the ${quote.id} minor unit`);
    if (minSize < 1) fail('minSize must be at least one sizeIncrement');
    if (maxNotional < 1 || maxNotional < minFunds) fail('maxNotional must be positive and at least minFunds');
    // A buy holds notional + worst-case fee + one unit of rounding; that must stay exact.
    const worstFee = Math.max(makerFeePpm, takerFeePpm);
    // Quotes may overshoot a cap by one order's notional before they stop, hence the factor 2.
    if (new Big(maxNotional).times(2 * PPM + worstFee).div(PPM).plus(2).gt(MAX_SAFE)) fail('maxNotional is too large to hold exactly');
    if (!['online', 'cancel_only', 'offline'].includes(product.status)) fail(`unknown status ${product.status}`);
    return {
      id: product.id,
      index,
      base,
      quote,
      priceIncrement,
      sizeIncrement,
      tickUnits,
      lotUnits,
      lotTickUnits: lotTick.toNumber(),
      maxPrice: Math.floor(MAX_SAFE / tickUnits),
      maxSize: Math.floor(MAX_SAFE / lotUnits),
      minSize,
      minFunds,
      maxNotional,
      makerFeePpm,
      takerFeePpm,
      status: product.status,
      source: product,
    };
  }
}
