import type { Currency, Product } from '@sd/domain/exchange/product';

/** The app's default market: three pairs over three currencies. */
export const DEFAULT_CURRENCIES: readonly Currency[] = [
  { id: 'BTC', scale: 8 },
  { id: 'ETH', scale: 8 },
  { id: 'USDT', scale: 6 },
];

export const DEFAULT_PRODUCTS: readonly Product[] = [
  {
    id: 'BTC-USDT',
    baseCurrency: 'BTC',
    quoteCurrency: 'USDT',
    priceIncrement: '0.01',
    sizeIncrement: '0.0001',
    minSize: '0.0001',
    minFunds: '1',
    maxNotional: '10000000',
    makerFeeRate: '0.001',
    takerFeeRate: '0.002',
    status: 'online',
  },
  {
    id: 'ETH-USDT',
    baseCurrency: 'ETH',
    quoteCurrency: 'USDT',
    priceIncrement: '0.01',
    sizeIncrement: '0.0001',
    minSize: '0.001',
    minFunds: '1',
    maxNotional: '10000000',
    makerFeeRate: '0.001',
    takerFeeRate: '0.002',
    status: 'online',
  },
  {
    id: 'ETH-BTC',
    baseCurrency: 'ETH',
    quoteCurrency: 'BTC',
    priceIncrement: '0.00001',
    sizeIncrement: '0.001',
    minSize: '0.001',
    minFunds: '0.0001',
    maxNotional: '1000',
    makerFeeRate: '0.001',
    takerFeeRate: '0.002',
    status: 'online',
  },
];
