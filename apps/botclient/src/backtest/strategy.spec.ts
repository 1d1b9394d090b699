import Big from 'big.js';
import { MeanReversion } from './strategy';

describe('MeanReversion', () => {
  const options = { window: 4, bandBps: 10, orderSize: '0.01', maxPosition: '0.02' };
  const fed = (...prices: string[]) => {
    const strategy = new MeanReversion(options);
    for (const price of prices) strategy.observe(price);
    return strategy;
  };

  it('wants nothing before its window fills, nor inside the band', () => {
    expect(fed('100', '100', '90').want(new Big(0))).toBeUndefined();
    // Average 100.0225, last 100.09: 6.7 bps above.
    expect(fed('100', '100', '99.9', '100.09').want(new Big(0))).toBeUndefined();
  });

  it('bids at the last price below the average by the band, offers above it', () => {
    // Average 99.95, last 99.8: 15 bps below.
    expect(fed('100', '100', '100', '99.8').want(new Big(0))).toEqual({ side: 'buy', price: '99.8' });
    expect(fed('100', '100', '100', '100.2').want(new Big(0))).toEqual({ side: 'sell', price: '100.2' });
  });

  it('keeps the position within its limit either way', () => {
    expect(fed('100', '100', '100', '99.8').want(new Big('0.01'))).toEqual({ side: 'buy', price: '99.8' });
    expect(fed('100', '100', '100', '99.8').want(new Big('0.015'))).toBeUndefined();
    expect(fed('100', '100', '100', '100.2').want(new Big('-0.02'))).toBeUndefined();
  });

  it('averages only the last `window` prices', () => {
    expect(fed('50', '100', '100', '100', '99.8').want(new Big(0))).toEqual({ side: 'buy', price: '99.8' });
  });
});
