import type { ProductJson } from './client';
import { marketSpec } from './market';

const btc: ProductJson = {
  id: 'BTC-USDT',
  base_currency: 'BTC',
  quote_currency: 'USDT',
  quote_increment: '0.01',
  base_increment: '0.00001',
  base_min_size: '0.0001',
  min_market_funds: '10',
  max_market_funds: '1000000',
  display_name: 'BTC/USDT',
  status: 'online',
  maker_fee_rate: '0.001',
  taker_fee_rate: '0.002',
};

describe('marketSpec', () => {
  it('snaps the mid to the price grid', () => {
    expect(marketSpec(btc, '30000.019', 50).midSteps).toBe(3_000_001);
  });

  it('sizes orders to meet the minimum funds at the lowest price quoted', () => {
    // 10 USDT at 29999.50 needs 0.00033334 BTC, which is 34 steps of 0.00001 (33 would be 9.899...).
    const spec = marketSpec(btc, '30000', 50);
    expect(spec.minSizeSteps).toBe(34);
    expect(spec.size.format(spec.minSizeSteps)).toBe('0.00034');
  });

  it('uses the minimum size when it is the larger bound', () => {
    expect(marketSpec({ ...btc, min_market_funds: '1' }, '30000', 50).minSizeSteps).toBe(10);
  });

  it('refuses a mid too close to zero for the spread', () => {
    expect(() => marketSpec(btc, '0.40', 50)).toThrow('must be more than 50 price steps');
  });
});
