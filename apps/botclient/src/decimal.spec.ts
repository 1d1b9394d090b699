import { Grid } from './decimal';

describe('Grid', () => {
  it('formats whole steps exactly with the increment decimals', () => {
    const cents = new Grid('0.01');
    expect(cents.format(3_000_000)).toBe('30000.00');
    expect(cents.format(7)).toBe('0.07');
    expect(cents.format(0)).toBe('0.00');
    expect(new Grid('0.00000001').format(12_345)).toBe('0.00012345');
    expect(new Grid('0.05').format(3)).toBe('0.15');
    expect(new Grid('1').format(42)).toBe('42');
    expect(new Grid('10').format(3)).toBe('30');
  });

  it('snaps amounts onto the grid: down for a mid, up for a minimum', () => {
    const cents = new Grid('0.01');
    expect(cents.stepsIn('30000.019')).toBe(3_000_001);
    expect(cents.stepsAtLeast('0.001')).toBe(1);
    expect(new Grid('0.0001').stepsAtLeast('0.00033')).toBe(4);
    expect(new Grid('0.05').stepsIn('1.12')).toBe(22);
  });

  it('refuses a grid or a step count that would lose exactness', () => {
    expect(() => new Grid('0')).toThrow('increment must be positive');
    expect(() => new Grid('0.01').format(1.5)).toThrow('non-negative integer');
    expect(() => new Grid('1000').format(2 ** 52)).toThrow('overflow');
  });
});
