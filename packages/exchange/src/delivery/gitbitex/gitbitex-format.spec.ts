import { DEFAULT_PRODUCTS } from '../../usecase/core/catalog/default-products';
import { canonicalDecimal, decimalOf, decimals, productJson } from './gitbitex-format';

describe('gitbitex shapes', () => {
  it('snaps a float to the increment only within rounding noise, so a real off-step amount still reaches the parser whole', () => {
    expect(decimalOf(2.3400000001, 2)).toBe('2.34');
    expect(decimalOf(2.3399999999, 2)).toBe('2.34');
    expect(decimalOf(0.1 + 0.2, 4)).toBe('0.3000');
    expect(decimalOf(599.5590000000001, 6)).toBe('599.559000');
    expect(decimalOf(30000.255, 2)).toBe('30000.255');
    expect(decimalOf(0.00012, 4)).toBe('0.00012');
    expect(decimalOf(1e-7, 8)).toBe('0.00000010');
    expect(decimalOf(30000, 2)).toBe('30000.00');
    // Strings are the parser's to judge, and so is anything that is not a finite number.
    expect(decimalOf('0.1', 4)).toBe('0.1');
    expect(decimalOf(Number.NaN, 2)).toBeNaN();
    expect(decimalOf(null, 2)).toBeNull();
    expect(decimalOf(-1, 2)).toBe('-1.00');
  });

  it('writes book prices without trailing zeros, which the page keys its levels by', () => {
    expect(['30003.00', '29954.50', '0.00100', '100', '0.0'].map(canonicalDecimal)).toEqual(['30003', '29954.5', '0.001', '100', '0']);
    expect(['0.01', '0.0001', '1', '5', '0.50', '1.0'].map(decimals)).toEqual([2, 4, 0, 0, 1, 0]);
  });

  it('gives a product the scales and the strings the page takes its display precision from', () => {
    const [btc, eth] = DEFAULT_PRODUCTS;
    expect(productJson(btc!)).toMatchObject({ id: 'BTC-USDT', baseCurrency: 'BTC', quoteCurrency: 'USDT', baseMinSize: '0.0001', quoteIncrement: '0.01', baseScale: 4, quoteScale: 2 });
    // A minimum size coarser than the increment is written at the increment's decimals (`length - 2` = 4).
    expect(productJson(eth!)).toMatchObject({ baseMinSize: '0.0010', baseScale: 4 });
    // Whole-unit prices still get one decimal: integer-like level keys would sort the bids worst first.
    expect(productJson({ ...btc!, priceIncrement: '5' })).toMatchObject({ quoteIncrement: '5.0', quoteScale: 1 });
  });
});
