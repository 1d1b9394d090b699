import { ProductCatalog } from '../../usecase/core/catalog/product-catalog';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../../usecase/core/catalog/default-products';
import { TickerStats, type RollingStatsSource } from './ticker-stats';

/** A read side that answers when told to, counting what it was asked. */
function slowSource() {
  const calls: string[] = [];
  const waiting: Array<() => void> = [];
  const answer = <T>(value: T): Promise<T> => new Promise((resolve) => waiting.push(() => resolve(value)));
  const source: RollingStatsSource = {
    stats24h: (productId) => {
      calls.push(`stats24h ${productId}`);
      return answer({ open: '100.000000', high: '110.000000', low: '90.000000', volume: '2.00000000' });
    },
    volume30d: (productId) => {
      calls.push(`volume30d ${productId}`);
      return answer('30.00000000');
    },
  };
  const release = async (): Promise<void> => {
    while (waiting.length > 0) {
      waiting.splice(0).forEach((resolve) => resolve());
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { source, calls, release };
}

describe('TickerStats', () => {
  const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);

  it('reads the read side once for every ticker subscribe that arrives while the first load runs', async () => {
    const { source, calls, release } = slowSource();
    const stats = new TickerStats(catalog, source);
    const subscribes = Array.from({ length: 500 }, (_, i) => stats.ensure('BTC-USDT', i));
    await release();
    await Promise.all(subscribes);
    expect(calls).toEqual(['stats24h BTC-USDT', 'volume30d BTC-USDT']);
    expect(stats.current('BTC-USDT')).toEqual({ open: '100.000000', high: '110.000000', low: '90.000000', volume: '2.00000000', volume30d: '30.00000000' });
  });

  it('folds a pushed trade into the figures until the read side is re-read past it', async () => {
    const { source, calls, release } = slowSource();
    const stats = new TickerStats(catalog, source);
    const loaded = stats.ensure('BTC-USDT', 10);
    await release();
    await loaded;
    stats.trade('BTC-USDT', 11, '120.000000', '0.50000000');
    expect(stats.current('BTC-USDT')).toMatchObject({ high: '120.000000', volume: '2.50000000', volume30d: '30.50000000' });
    const refreshed = stats.refresh('BTC-USDT', 11);
    await release();
    await refreshed;
    expect(calls).toHaveLength(4);
    expect(stats.current('BTC-USDT')).toMatchObject({ high: '110.000000', volume: '2.00000000' });
  });
});
