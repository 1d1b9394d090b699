import type { ExchangeCommand } from '@sd/domain/exchange/command';
import type { CommandSubmitter } from '@sd/domain/exchange/command-submitter';

/**
 * One way of handing commands to the engine (the in-process host, or the message queue to a
 * leader): each command is answered with its own outcome once applied, in one total order; a
 * refusal is an outcome, never an error. `open` gives a submitter over a fresh engine.
 */
export function describeCommandSubmitterContract(name: string, open: () => Promise<{ submitter: CommandSubmitter; close(): Promise<void> }>): void {
  describe(`command submitter contract: ${name}`, () => {
    let submitter: CommandSubmitter;
    let close: () => Promise<void>;

    beforeEach(async () => ({ submitter, close } = await open()));
    afterEach(() => close());

    const deposit = (userId: string, amount: number): ExchangeCommand => ({ type: 'deposit', userId, currency: 'USDT', amount });

    it('answers each command with its own outcome, sequenced once in one order', async () => {
      const users = Array.from({ length: 40 }, (_, i) => `user-${i}`);
      const outcomes = await Promise.all(users.map((userId, i) => submitter.submit(deposit(userId, i + 1))));
      expect(outcomes.map((outcome) => outcome.command)).toEqual(users.map((userId, i) => deposit(userId, i + 1)));
      expect(outcomes.every((outcome) => outcome.rejection === null)).toBe(true);
      const sequences = outcomes.map((outcome) => outcome.sequence);
      expect(new Set(sequences).size).toBe(users.length);
      expect(Math.min(...sequences)).toBe(1);
      expect(Math.max(...sequences)).toBe(users.length);
    });

    it('answers a refusal as an outcome that changed nothing', async () => {
      const refused = await submitter.submit({ type: 'withdraw', userId: 'nobody', currency: 'USDT', amount: 5 });
      expect(refused.rejection?.code).toBe('INSUFFICIENT_FUNDS');
      expect(refused.events).toEqual([]);
    });

    it('gives a placed order an id that a later command names', async () => {
      await submitter.submit({ type: 'deposit', userId: 'alice', currency: 'BTC', amount: 100_000_000 });
      const placed = await submitter.submit({
        type: 'place', userId: 'alice', productId: 'BTC-USDT', side: 'sell', orderType: 'limit',
        price: 3_000_000, size: 10, funds: 0, timeInForce: 'GTC', postOnly: false, stp: 'dc', clientOid: null,
      });
      expect(placed.orderId).toBe(placed.sequence);
      const canceled = await submitter.submit({ type: 'cancel', userId: 'alice', orderId: placed.orderId! });
      expect(canceled.events).toContainEqual(expect.objectContaining({ type: 'done', orderId: placed.orderId, reason: 'canceled' }));
    });
  });
}
