import Big from 'big.js';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import { PRODUCT_STATUSES, type Currency, type MarketDefinition, type Product, type ProductStatus } from '@sd/domain/exchange/product';
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
const PRODUCT_ID = /^[A-Za-z0-9]{1,20}-[A-Za-z0-9]{1,20}$/;

/**
 * The currencies and products the engine trades, validated so that every amount the engine
 * computes is an exact integer: increments are whole minor units, a tick times a lot is a
 * whole number of quote minor units, fee rates are whole parts per million, and the largest
 * order plus its fee stays a safe integer. A bad config throws at startup.
 *
 * The engine's copy is engine state: only its `apply` lists or changes a product, and it
 * emits a `product` event each time. Every other holder (the read side, a worker thread)
 * follows those events in sequence order (`follow`). Products are never removed (delisted
 * is a status), so a product keeps its index, increments and currencies for good.
 */
export class ProductCatalog {
  readonly currencies: readonly CurrencySpec[];
  private readonly specs: ProductSpec[] = [];
  private readonly currencyById = new Map<string, CurrencySpec>();
  private readonly productById = new Map<string, ProductSpec>();

  static from(market: MarketDefinition): ProductCatalog {
    return new ProductCatalog(market.currencies, market.products);
  }

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
    for (const product of products) this.list(product);
  }

  /** By index: a product's index is its position in the order it was listed. */
  get products(): readonly ProductSpec[] {
    return this.specs;
  }

  /** The catalog as data, as a snapshot or a config file holds it. */
  definition(): MarketDefinition {
    return {
      currencies: this.currencies.map(({ id, scale }) => ({ id, scale })),
      products: this.specs.map((spec) => spec.source),
    };
  }

  copy(): ProductCatalog {
    return ProductCatalog.from(this.definition());
  }

  /** Adds a product; throws with the reason when it is invalid or already listed. */
  list(product: Product): ProductSpec {
    if (this.productById.has(product.id)) throw new Error(`product ${product.id} is listed twice`);
    const spec = this.compile(product, this.specs.length);
    this.specs.push(spec);
    this.productById.set(product.id, spec);
    return spec;
  }

  /** Replaces a listed product's fees and status; throws when the change is invalid or touches anything else. */
  update(product: Product): ProductSpec {
    const current = this.productById.get(product.id);
    if (current === undefined) throw new Error(`product ${product.id} is not listed`);
    const fixed = ['baseCurrency', 'quoteCurrency', 'priceIncrement', 'sizeIncrement', 'minSize', 'minFunds', 'maxNotional'] as const;
    const moved = fixed.find((field) => product[field] !== current.source[field]);
    if (moved !== undefined) throw new Error(`product ${product.id}: ${moved} cannot change once listed`);
    const spec = this.compile(product, current.index);
    this.specs[spec.index] = spec;
    this.productById.set(product.id, spec);
    return spec;
  }

  /** Why `product` cannot be listed as it is, or null when it can. */
  problemListing(product: Product): string | null {
    return this.problem(() => {
      if (this.productById.has(product.id)) throw new Error(`product ${product.id} is already listed`);
      this.compile(product, this.specs.length);
    });
  }

  /** Why `product` cannot replace the listed one, or null when it can. */
  problemUpdating(product: Product): string | null {
    return this.problem(() => this.copy().update(product));
  }

  /** Lists the products first listed in these outcomes, as listed; changes to known ones wait for `follow`. */
  listNew(outcomes: readonly CommandOutcome[]): void {
    for (const outcome of outcomes) for (const event of outcome.events) if (event.type === 'product' && !this.productById.has(event.product.id)) this.list(event.product);
  }

  /** Applies the `product` events of engine outcomes, in sequence order. */
  follow(outcomes: readonly CommandOutcome[]): void {
    for (const outcome of outcomes) for (const event of outcome.events) if (event.type === 'product') this.learn(event.product);
  }

  /** Takes a product as the engine has it now: listed if new, else its fees and status. */
  learn(product: Product): void {
    if (this.productById.has(product.id)) this.update(product);
    else this.list(product);
  }

  product(id: string): ProductSpec | undefined {
    return this.productById.get(id);
  }

  currency(id: string): CurrencySpec | undefined {
    return this.currencyById.get(id);
  }

  private problem(attempt: () => void): string | null {
    try {
      attempt();
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  private compile(product: Product, index: number): ProductSpec {
    const fail = (why: string): never => {
      throw new Error(`product ${product.id}: ${why}`);
    };
    if (typeof product.id !== 'string' || !PRODUCT_ID.test(product.id)) fail('id must be BASE-QUOTE: letters and digits, a dash between');
    const base = this.currencyById.get(product.baseCurrency) ?? fail(`unknown base currency ${product.baseCurrency}`);
    const quote = this.currencyById.get(product.quoteCurrency) ?? fail(`unknown quote currency ${product.quoteCurrency}`);
    if (base === quote) fail('base and quote currency must differ');
    const decimal = (field: keyof Product): Big => {
      const text = product[field];
      if (typeof text !== 'string' || !DECIMAL.test(text)) fail(`${field} must be a plain decimal string, got "${String(text)}"`);
      return new Big(text as string);
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
    if (!PRODUCT_STATUSES.includes(product.status)) fail(`status must be one of ${PRODUCT_STATUSES.join(', ')}, not ${String(product.status)}`);
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
