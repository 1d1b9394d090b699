import Big from 'big.js';
import { type PnlFill, profitAndLoss } from './pnl';

const fill = (side: 'buy' | 'sell', size: string, price: string, fee: string): PnlFill => ({ side, size, price, fee });
const strings = (pnl: ReturnType<typeof profitAndLoss>) => Object.fromEntries(Object.entries(pnl).map(([name, value]) => [name, (value as Big).toString()]));

describe('profitAndLoss', () => {
  it('has nothing without fills', () => {
    expect(strings(profitAndLoss([], '30000'))).toEqual({ position: '0', averageCost: '0', realized: '0', fees: '0', unrealized: '0', total: '0', bought: '0', sold: '0' });
  });

  it('marks an open long at the last price, fees in realized', () => {
    // 0.01 @ 30000 + 0.03 @ 30100: average (300 + 903) / 0.04 = 30075.
    const fills = [fill('buy', '0.01', '30000.00', '0.30'), fill('buy', '0.03', '30100.00', '0.903')];
    expect(strings(profitAndLoss(fills, '30050.5'))).toMatchObject({ position: '0.04', averageCost: '30075', realized: '-1.203', fees: '1.203', unrealized: '-0.98', total: '-2.183' });
  });

  it('realizes a round trip at average cost', () => {
    // Buy 0.02 @ 30000 and 0.02 @ 30200 (average 30100), sell 0.03 @ 30300: gains 0.03 × 200 = 6.
    const fills = [fill('buy', '0.02', '30000', '0.6'), fill('buy', '0.02', '30200', '0.604'), fill('sell', '0.03', '30300', '1.818')];
    const pnl = profitAndLoss(fills, '30150');
    expect(strings(pnl)).toMatchObject({ position: '0.01', averageCost: '30100', fees: '3.022', realized: '2.978', unrealized: '0.5', total: '3.478', bought: '0.04', sold: '0.03' });
  });

  it('flips from long to short through flat, the rest opening at the fill price', () => {
    // Long 0.01 @ 30000, sell 0.03 @ 29900: closes 0.01 losing 1, opens short 0.02 @ 29900; cover 0.02 @ 29800 gains 2.
    const flipped = profitAndLoss([fill('buy', '0.01', '30000', '0'), fill('sell', '0.03', '29900', '0.1')], '29950');
    expect(strings(flipped)).toMatchObject({ position: '-0.02', averageCost: '29900', realized: '-1.1', unrealized: '-1', total: '-2.1' });
    const covered = profitAndLoss([fill('buy', '0.01', '30000', '0'), fill('sell', '0.03', '29900', '0.1'), fill('buy', '0.02', '29800', '0.05')], '1');
    expect(strings(covered)).toMatchObject({ position: '0', averageCost: '0', realized: '0.85', unrealized: '0', total: '0.85' });
  });

  it('rounds an average cost that does not end, realized taking the rounding', () => {
    // 0.03 bought for 1000 + 1000 + 1001 = 3001: average 100033.3333...; 0.01 sold at 100100.
    const fills = [fill('buy', '0.01', '100000', '0'), fill('buy', '0.01', '100000', '0'), fill('buy', '0.01', '100100', '0'), fill('sell', '0.01', '100100', '0')];
    const pnl = profitAndLoss(fills, '100100');
    expect(strings(pnl)).toMatchObject({ position: '0.02', averageCost: '100033.33333333', unrealized: '1.3333333334', realized: '0.6666666666', total: '2' });
  });

  it('totals the change of quote plus base valued at the mark, exactly', () => {
    const fills = [
      fill('buy', '0.0003', '30000.01', '0.018000006'),
      fill('sell', '0.0007', '30000.03', '0.021000021'),
      fill('buy', '0.0011', '29999.99', '0.032999989'),
      fill('sell', '0.0002', '30000.07', '0.006000014'),
    ];
    const mark = '30000.05';
    let quote = new Big(0);
    let base = new Big(0);
    for (const { side, size, price, fee } of fills) {
      const notional = new Big(price).times(size);
      quote = side === 'buy' ? quote.minus(notional).minus(fee) : quote.plus(notional).minus(fee);
      base = side === 'buy' ? base.plus(size) : base.minus(size);
    }
    const pnl = profitAndLoss(fills, mark);
    expect(pnl.position.toString()).toBe(base.toString());
    expect(pnl.total.toString()).toBe(quote.plus(base.times(mark)).toString());
  });
});
