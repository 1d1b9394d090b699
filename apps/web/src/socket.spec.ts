import { backoffDelay } from './socket';

describe('backoffDelay', () => {
  it('doubles from half a second and stops growing at ten seconds', () => {
    const noJitter = (): number => 0;
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, noJitter))).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('adds at most 20 % jitter so clients do not reconnect in lockstep', () => {
    expect(backoffDelay(2, () => 0.999)).toBe(2400);
  });
});
