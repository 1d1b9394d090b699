import { invalidInput } from '@sd/domain/errors';
import { exchangeNotFound } from '@sd/domain/exchange/rejection';
import type { Product } from '@sd/domain/exchange/product';
import type { AccountQueries } from '../../usecase/read/account-queries';
import { depositAddress } from '../../usecase/read/deposit-address';
import type { MarketQueries } from '../../usecase/read/market-queries';
import type { QuotationQueries } from '../../usecase/read/quotation/quotation-queries';
import type { FundsUseCase } from '../../usecase/write/funds.usecase';
import type { NewOrder, TradingUseCase } from '../../usecase/write/trading.usecase';
import { accountJson, candleJson, decimalOf, decimals, orderJson, productJson, tradeJson, walletTransactionJson } from './gitbitex-format';

export interface GitbitexApiOptions {
  trading: TradingUseCase;
  funds: FundsUseCase;
  market: MarketQueries;
  accounts: AccountQueries;
  quotation: QuotationQueries;
  clock?: () => number;
}

const DAY_SECONDS = 86_400;
const SPARK_WIDTH = 120;
const SPARK_HEIGHT = 40;

/** The order body the page posts: numbers from its form, `side`/`type` as words. */
export interface GitbitexOrderBody {
  productId?: unknown;
  side?: unknown;
  type?: unknown;
  price?: unknown;
  size?: unknown;
  funds?: unknown;
}

export interface GitbitexOrderQuery {
  productId?: string;
  /** The page asks for `open`, or for every status. */
  status: 'open' | 'all';
  limit: number;
  /** Older than this order id. */
  after?: number;
}

/** A page of orders, newest first, and the cursors the page sends back: `before` the newest id, `after` the oldest. */
export interface OrderPage {
  items: ReturnType<typeof orderJson>[];
  before: string | null;
  after: string | null;
}

/**
 * What gitbitex-web's REST calls mean in the exchange's use cases, whatever serves them:
 * camelCase answers, and order bodies of JSON numbers turned into the decimal strings the
 * request parser checks against the product's increments.
 */
export class GitbitexApi {
  private readonly clock: () => number;

  constructor(private readonly options: GitbitexApiOptions) {
    this.clock = options.clock ?? Date.now;
  }

  products() {
    return this.options.market.products().map(productJson);
  }

  /**
   * `[time, low, high, open, close, volume]` numbers, newest first. A product that never
   * traded answers one flat zero-volume bar at the current bucket: the page's chart reads
   * the last row of the answer before it draws anything, and only extends an existing bar.
   */
  async candles(productId: string, granularity: number): Promise<number[][]> {
    const rows = await this.options.quotation.candles(productId, { granularity });
    if (rows.length > 0) return rows.map(candleJson);
    const now = Math.floor(this.clock() / 1000);
    return [[now - (now % granularity), 0, 0, 0, 0, 0]];
  }

  /**
   * The home page's picture of a product: its hourly closes over the last day as an SVG line
   * (flat without trades). An image, not JSON: served beside the API routes.
   */
  async sparkline(productId: string): Promise<string> {
    const now = Math.floor(this.clock() / 1000);
    const rows = await this.options.quotation.candles(productId, { granularity: 3600, start: now - DAY_SECONDS });
    const closes = rows.map((row) => Number(row[4])).reverse();
    const points = closes.length > 1 ? closes : [closes[0] ?? 0, closes[0] ?? 0];
    const low = Math.min(...points);
    const span = Math.max(...points) - low || 1;
    const path = points.map((close, i) => `${((i / (points.length - 1)) * SPARK_WIDTH).toFixed(1)},${(SPARK_HEIGHT - 2 - ((close - low) / span) * (SPARK_HEIGHT - 4)).toFixed(1)}`);
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${SPARK_WIDTH}" height="${SPARK_HEIGHT}" viewBox="0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}"><polyline fill="none" stroke="#3b82f6" stroke-width="1.5" points="${path.join(' ')}"/></svg>`;
  }

  async trades(productId: string) {
    return (await this.options.quotation.trades(productId, { limit: 100 })).map(tradeJson);
  }

  /**
   * The page's order form: `type` market or limit, `price`, `size` and `funds` as numbers.
   * A limit order takes `price` and `size` (the page's `funds` on a limit is unreliable and
   * ignored); a market buy spends `funds`, a market sell sells `size`.
   */
  async placeOrder(userId: string, body: GitbitexOrderBody) {
    const product = this.product(body.productId);
    const side = body.side;
    const order: NewOrder = { productId: body.productId, side, orderType: body.type } as NewOrder;
    if (product === undefined) return orderJson(await this.options.trading.placeOrder(userId, order));
    const priceScale = decimals(product.priceIncrement);
    const sizeScale = decimals(product.sizeIncrement);
    if (body.type === 'limit') {
      order.price = decimalOf(body.price, priceScale) as string;
      order.size = decimalOf(body.size, sizeScale) as string;
    } else if (side === 'buy' && typeof body.funds === 'number' && body.funds > 0) {
      order.funds = decimalOf(body.funds, this.currencyScale(product.quoteCurrency)) as string;
    } else {
      order.size = decimalOf(body.size, sizeScale) as string;
    }
    return orderJson(await this.options.trading.placeOrder(userId, order));
  }

  async orders(userId: string, query: GitbitexOrderQuery): Promise<OrderPage> {
    const { productId, status, limit, after } = query;
    const orders = await this.options.accounts.listOrders(userId, { productId, status, limit, after });
    const items = orders.map(orderJson);
    return { items, before: items[0]?.id ?? null, after: items.at(-1)?.id ?? null };
  }

  async cancelOrder(userId: string, orderId: string): Promise<string> {
    return this.options.trading.cancelOrder(userId, orderId);
  }

  async cancelAll(userId: string, productId: string | undefined): Promise<string[]> {
    return this.options.trading.cancelAll(userId, productId);
  }

  /** A row for every requested currency (zeros included: the page only follows pushes for currencies it loaded); none requested, every currency. */
  async accounts(userId: string, currencies: readonly string[]) {
    const known = new Set(this.options.market.currencies().map((currency) => currency.id));
    const unknown = currencies.find((currency) => !known.has(currency));
    if (unknown !== undefined) throw invalidInput(`unknown currency ${unknown.slice(0, 16)}`);
    const balances = await this.options.accounts.accounts(userId);
    return balances.filter((balance) => currencies.length === 0 || currencies.includes(balance.currency)).map(accountJson);
  }

  /** The user's simulated deposit address of a currency (the deposit dialog shows it as a QR code). */
  depositAddress(userId: string, currency: string): { currency: string; address: string } {
    this.currencyScale(currency);
    return { currency, address: depositAddress(userId, currency) };
  }

  /** The withdrawal dialog: through the sequencer like an order (the Coinbase API's own use case), settled when applied. */
  async withdraw(userId: string, currency: string, body: { amount: string | number; cryptoAddress: string }) {
    const amount = decimalOf(body.amount, this.currencyScale(currency)) as string;
    return walletTransactionJson(await this.options.funds.withdraw(userId, { currency, amount, cryptoAddress: body.cryptoAddress }));
  }

  /** The wallet page: the user's deposits and withdrawals of a currency, newest first. */
  async transactions(userId: string, currency: string) {
    this.currencyScale(currency);
    return (await this.options.accounts.transfers(userId, { currency })).map(walletTransactionJson);
  }

  private product(productId: unknown): Product | undefined {
    return typeof productId === 'string' ? this.options.market.products().find((product) => product.id === productId) : undefined;
  }

  private currencyScale(currencyId: string): number {
    const currency = this.options.market.currencies().find(({ id }) => id === currencyId);
    if (currency === undefined) throw exchangeNotFound('currency');
    return currency.scale;
  }
}
