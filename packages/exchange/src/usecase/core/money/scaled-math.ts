/**
 * Exact arithmetic on scaled integers kept as JS numbers. Every amount in the engine is a
 * non-negative safe integer (ticks, lots, minor units); callers guard bounds so a product or
 * sum never leaves the safe range, and these helpers stay exact where a naive `a * b / d`
 * would round.
 */
export const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Fee rates are integers in parts per million (0.001 = 1000 ppm). */
export const PPM = 1_000_000;

export function isAmount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/** `a × b`, or -1 when the exact product is not a safe integer. */
export function safeMul(a: number, b: number): number {
  const product = a * b;
  // Rounding is monotonic: an exact product above MAX_SAFE never rounds down to it.
  return product <= MAX_SAFE ? product : -1;
}

/**
 * Exact `floor(a × b / d)` for non-negative safe integers, d > 0, when the result is safe.
 * While a × b is safe, `Math.floor(a * b / d)` is exact: for n < 2^53 the correctly rounded
 * n / d never reaches the next integer. Past that, BigInt.
 */
export function mulDivFloor(a: number, b: number, d: number): number {
  const product = a * b;
  if (product <= MAX_SAFE) return Math.floor(product / d);
  return Number((BigInt(a) * BigInt(b)) / BigInt(d));
}

/** Exact `ceil(a × b / d)`, see mulDivFloor. */
export function mulDivCeil(a: number, b: number, d: number): number {
  const product = a * b;
  if (product <= MAX_SAFE) {
    const floor = Math.floor(product / d);
    return floor * d === product ? floor : floor + 1;
  }
  const big = BigInt(a) * BigInt(b);
  const divisor = BigInt(d);
  const quotient = big / divisor;
  return Number(quotient * divisor === big ? quotient : quotient + 1n);
}

/**
 * Fee rounding rule: an order's fee for a role (maker or taker) is
 * `ceil(cumulative notional × rate)`, in the exchange's favour, and each fill pays the
 * increase. An order therefore never pays more than one minor unit of rounding per role,
 * however many fills it has.
 */
export function feeIncrement(notionalBefore: number, notional: number, ratePpm: number): number {
  if (ratePpm === 0) return 0;
  return mulDivCeil(notionalBefore + notional, ratePpm, PPM) - mulDivCeil(notionalBefore, ratePpm, PPM);
}

/** Total fee for a notional charged in one role: `ceil(notional × rate)`. */
export function feeFor(notional: number, ratePpm: number): number {
  return ratePpm === 0 ? 0 : mulDivCeil(notional, ratePpm, PPM);
}

/** Largest notional `x` with `x + ceil(x × rate) <= funds`: what a market buy by funds may trade. */
export function notionalWithinFunds(funds: number, ratePpm: number): number {
  let x = mulDivFloor(funds, PPM, PPM + ratePpm);
  while (x > 0 && x + feeFor(x, ratePpm) > funds) x--;
  while (x + 1 + feeFor(x + 1, ratePpm) <= funds) x++;
  return x;
}
