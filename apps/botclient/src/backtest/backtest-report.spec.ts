import type { FillJson } from '../client';
import { formatFills, formatTable } from './backtest-report';

describe('backtest report', () => {
  it('pads columns, numbers to the right', () => {
    expect(formatTable(['a', 'n'], [['xyz', '1.5'], ['b', '10.25']], new Set([1]))).toBe('a        n\nxyz    1.5\nb    10.25');
  });

  it('lists fills with maker or taker', () => {
    const fill: FillJson = { trade_id: '7', product_id: 'BTC-USDT', order_id: '3', price: '30000.01', size: '0.0010', liquidity: 'M', fee: '0.030000', side: 'buy', created_at: '2023-06-15T00:01:00.000Z' };
    expect(formatFills([fill]).split('\n')).toEqual([
      'time                      side    size     price       fee  liquidity',
      '2023-06-15T00:01:00.000Z  buy   0.0010  30000.01  0.030000  maker',
    ]);
    expect(formatFills([])).toBe('no fills');
  });
});
