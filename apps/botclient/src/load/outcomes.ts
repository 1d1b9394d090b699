/**
 * Refusals a correct client meets in normal trading: a cancel racing a fill, a taker finding
 * too little liquidity for FOK, funds held by its own resting orders. They are counted apart
 * from errors; every other non-2xx answer, and every transport failure, is an error.
 */
export const EXPECTED_REJECTIONS: ReadonlySet<string> = new Set([
  'EXCHANGE.ORDER_NOT_FOUND',
  'EXCHANGE.INSUFFICIENT_FUNDS',
  'EXCHANGE.POST_ONLY_WOULD_CROSS',
  'EXCHANGE.FOK_NOT_FILLABLE',
]);

export type Outcome = { kind: 'ok' } | { kind: 'rejected'; code: string } | { kind: 'error'; label: string };

/** Classifies one answer; `label` names an error by status and code, e.g. `429 RATE_LIMIT.EXCEEDED`. */
export function classify(status: number, body: string): Outcome {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const code = errorCode(body);
  if (status >= 400 && status < 500 && code !== undefined && EXPECTED_REJECTIONS.has(code)) return { kind: 'rejected', code };
  return { kind: 'error', label: code === undefined ? String(status) : `${status} ${code}` };
}

function errorCode(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const code = (parsed as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** Counts per label, for the report's "by status" lines. */
export class Tally {
  private readonly counts = new Map<string, number>();
  total = 0;

  add(label: string): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
    this.total += 1;
  }

  entries(): [string, number][] {
    return [...this.counts].sort((a, b) => b[1] - a[1]);
  }
}
