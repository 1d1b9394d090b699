import { createHash } from 'node:crypto';

/**
 * Where a user's deposits of a currency would arrive. The exchange simulates the chain, so
 * there is nothing to allocate: the address is derived from the user and the currency, the
 * same every time, a different one per user and per currency, and no one else's.
 */
export function depositAddress(userId: string, currency: string): string {
  const digest = createHash('sha256').update(`deposit-address\0${userId}\0${currency}`).digest('hex');
  return `sim-${currency.toLowerCase()}-${digest.slice(0, 40)}`;
}
