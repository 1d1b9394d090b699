import type { ProductJson } from './client';
import { defaultMid, demoFund } from './demo';

const product = (id: string, quoteIncrement: string): ProductJson => {
  const [base, quote] = id.split('-') as [string, string];
  return {
    id,
    base_currency: base,
    quote_currency: quote,
    quote_increment: quoteIncrement,
    base_increment: '0.001',
    base_min_size: '0.001',
    min_market_funds: '1',
    max_market_funds: '1000000',
    display_name: `${base}/${quote}`,
    status: 'online',
    maker_fee_rate: '0.001',
    taker_fee_rate: '0.002',
  };
};

describe('defaultMid', () => {
  it('prices a pair of well-known currencies at the ratio of their dollar prices, on the price grid', () => {
    expect(defaultMid(product('BTC-USDT', '0.01'))).toBe('30000.00');
    expect(defaultMid(product('ETH-USDT', '0.01'))).toBe('2000.00');
    // 2000 / 30000 = 0.0666…, rounded down to the grid.
    expect(defaultMid(product('ETH-BTC', '0.00001'))).toBe('0.06666');
  });

  it('puts an unknown pair at 10,000 price steps, so one step is a basis point', () => {
    expect(defaultMid(product('FOO-USDT', '0.01'))).toBe('100.00');
    expect(defaultMid(product('FOO-BAR', '0.5'))).toBe('5000.0');
  });

  it('never answers zero, even when the ratio is below one price step', () => {
    expect(defaultMid(product('USDT-BTC', '0.01'))).toBe('0.01');
  });
});

describe('demoFund', () => {
  it('gives about a million dollars of a priced currency, in whole units', () => {
    expect([demoFund('USDT'), demoFund('BTC'), demoFund('ETH')]).toEqual(['1000000', '33', '500']);
  });

  it('gives a fixed amount of a currency it has no price for', () => {
    expect(demoFund('FOO')).toBe('100000');
  });
});
