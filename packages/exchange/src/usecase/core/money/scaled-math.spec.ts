import { Prng } from '../../../testing/prng';
import { formatUnits } from './decimal';
import { feeFor, feeIncrement, MAX_SAFE, mulDivCeil, mulDivFloor, notionalWithinFunds, safeMul } from './scaled-math';

describe('scaled integer math', () => {
  it('mulDivFloor / mulDivCeil agree with BigInt, also past 2^53 intermediates', () => {
    const r = new Prng(3);
    for (let i = 0; i < 20_000; i++) {
      const a = r.int(0, 2 ** 40) * (r.chance(0.5) ? 1 : 4096);
      const b = r.int(0, 2 ** 20);
      const d = r.int(1, 2 ** 30);
      const exact = (BigInt(a) * BigInt(b)) / BigInt(d);
      if (exact > BigInt(MAX_SAFE)) continue;
      expect(mulDivFloor(a, b, d)).toBe(Number(exact));
      const ceil = exact * BigInt(d) === BigInt(a) * BigInt(b) ? exact : exact + 1n;
      expect(mulDivCeil(a, b, d)).toBe(Number(ceil));
    }
  });

  it('floors exactly at the top of the safe range', () => {
    const r = new Prng(5);
    for (let i = 0; i < 20_000; i++) {
      const n = MAX_SAFE - r.int(0, 2 ** 30);
      const d = r.int(2, 2 ** 24);
      expect(mulDivFloor(n, 1, d)).toBe(Number(BigInt(n) / BigInt(d)));
    }
  });

  it('flags products beyond the safe range', () => {
    expect(safeMul(2 ** 26, 2 ** 26)).toBe(2 ** 52);
    expect(safeMul(2 ** 27, 2 ** 27)).toBe(-1);
  });

  it('charges cumulative fees that sum to the fee of the total', () => {
    let paid = 0;
    let notional = 0;
    for (const fill of [333, 1, 1, 7, 999_999, 12]) {
      paid += feeIncrement(notional, fill, 2500);
      notional += fill;
    }
    expect(paid).toBe(feeFor(notional, 2500));
    expect(feeFor(1, 1)).toBe(1); // any positive fee rounds up to one unit
    expect(feeFor(1000, 0)).toBe(0);
  });

  it('finds the largest notional a market buy can trade with its fee inside the funds', () => {
    for (const [funds, ppm] of [[3_000_000_000, 2000], [1, 2000], [999, 0], [10_000_019, 1999]] as const) {
      const x = notionalWithinFunds(funds, ppm);
      expect(x + feeFor(x, ppm)).toBeLessThanOrEqual(funds);
      expect(x + 1 + feeFor(x + 1, ppm)).toBeGreaterThan(funds);
    }
    expect(notionalWithinFunds(3_000_000_000, 2000)).toBe(2_994_011_976);
  });

  it('formats minor units at a fixed scale', () => {
    expect(formatUnits(0, 8)).toBe('0.00000000');
    expect(formatUnits(1, 6)).toBe('0.000001');
    expect(formatUnits(123_456_789, 6)).toBe('123.456789');
    expect(formatUnits(MAX_SAFE, 8)).toBe('90071992.54740991');
    expect(formatUnits(42, 0)).toBe('42');
  });
});
