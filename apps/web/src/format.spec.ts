import { changePercent, decimalsOf, fixed, plain } from './format';

describe('format', () => {
  it('derives decimals from an increment written any way', () => {
    expect(decimalsOf('0.01000000')).toBe(2);
    expect(decimalsOf('1')).toBe(0);
    expect(decimalsOf('0.00000001')).toBe(8);
  });

  it('shows prices with the increment decimals and never rounds up', () => {
    expect(fixed('100', '0.01')).toBe('100.00');
    expect(fixed('0.129', '0.01')).toBe('0.12');
  });

  it('shows exact amounts without trailing zeros', () => {
    expect(plain('1000.500000000000000001')).toBe('1000.500000000000000001');
    expect(plain('2.5000')).toBe('2.5');
    expect(plain(undefined)).toBe('');
  });

  it('computes the 24 h change', () => {
    expect(changePercent('100', '101.5')).toBe('+1.50%');
    expect(changePercent('100', '99')).toBe('-1.00%');
    expect(changePercent('0', '99')).toBe('');
  });
});
