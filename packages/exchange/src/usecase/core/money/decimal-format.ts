/**
 * Formats a non-negative count of minor units as a decimal string with exactly `scale`
 * decimals (`formatUnits(1500, 3)` is `1.500`). String work only: no float, no big.js, so
 * it is cheap enough for every event the engine emits.
 */
export function formatUnits(units: number, scale: number): string {
  const digits = String(units);
  if (scale === 0) return digits;
  if (digits.length > scale) {
    const point = digits.length - scale;
    return `${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  return `0.${ZEROS.slice(0, scale - digits.length)}${digits}`;
}

const ZEROS = '000000000000000000000000000000';
