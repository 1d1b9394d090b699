import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import type { ExchangeCommand, SequencedCommand } from '@sd/domain/exchange/command';
import { BinaryWriter } from '../repository/codec/binary-buffer';
import { encodeCommand } from '../repository/codec/command-codec';

/** One log (a directory, a topic, a memory journal) that journal instances open in turn. */
export interface JournalStore {
  /** A journal over this store's log: what an earlier instance appended is there when it opens. */
  journal(): CommandJournal;
  dispose(): Promise<void>;
}

/** Every command kind, with the values most likely to be mangled: non-ASCII text, nulls, 2^53 - 1. */
export const everyCommandKind: readonly ExchangeCommand[] = [
  { type: 'place', userId: 'alice', productId: 'BTC-USDT', side: 'sell', orderType: 'limit', price: 2_000_000, size: 5, funds: 0, timeInForce: 'GTC', postOnly: true, stp: 'co', clientOid: 'ü-oid-€' },
  { type: 'place', userId: 'bob', productId: 'BTC-USDT', side: 'buy', orderType: 'market', price: 0, size: 0, funds: 123_456_789, timeInForce: 'IOC', postOnly: false, stp: 'cb', clientOid: null },
  { type: 'place', userId: 'bob', productId: 'ETH-BTC', side: 'sell', orderType: 'market', price: 0, size: 42, funds: 0, timeInForce: 'FOK', postOnly: false, stp: 'dc', clientOid: '' },
  { type: 'place', userId: 'carol', productId: 'ETH-BTC', side: 'buy', orderType: 'limit', price: 1, size: Number.MAX_SAFE_INTEGER, funds: 0, timeInForce: 'GTC', postOnly: false, stp: 'cn', clientOid: 'c1' },
  { type: 'cancel', userId: 'alice', orderId: Number.MAX_SAFE_INTEGER },
  { type: 'cancel_client_oid', userId: 'alice', clientOid: 'ü-oid-€' },
  { type: 'cancel_all', userId: 'bob', productId: null },
  { type: 'cancel_all', userId: 'bob', productId: 'ETH-BTC' },
  { type: 'deposit', userId: 'carol', currency: 'USDT', amount: 1 },
  { type: 'withdraw', userId: 'carol', currency: 'USDT', amount: 2 ** 52 },
  { type: 'withdraw', userId: 'carol', currency: 'BTC', amount: 3, cryptoAddress: 'bc1q-ü-address' },
  { type: 'transfer', fromUserId: 'carol', toUserId: 'dåve', currency: 'BTC', amount: 77 },
  {
    type: 'list_product',
    product: {
      id: 'SOL-USDT', baseCurrency: 'SOL', quoteCurrency: 'USDT', priceIncrement: '0.001', sizeIncrement: '0.01', minSize: '0.01',
      minFunds: '1', maxNotional: '1000000', makerFeeRate: '0', takerFeeRate: '0.0025', status: 'post_only',
    },
  },
  { type: 'set_product_fees', productId: 'SOL-USDT', makerFeeRate: '0.0001', takerFeeRate: '0.001' },
  { type: 'set_product_status', productId: 'ETH-BTC', status: 'delisted' },
];

/** Commands `first .. first + count - 1`, cycling through every kind. */
export function sequencedCommands(first: number, count: number): SequencedCommand[] {
  return Array.from({ length: count }, (_, i) => ({
    sequence: first + i,
    timestamp: 1_700_000_000_000 + first + i,
    command: everyCommandKind[(first + i) % everyCommandKind.length]!,
  }));
}

export async function replayAll(journal: CommandJournal, from = 1): Promise<{ entries: SequencedCommand[]; last: number }> {
  const entries: SequencedCommand[] = [];
  const last = await journal.replay(from, (entry) => entries.push(entry));
  return { entries, last };
}

function encoded(entries: readonly SequencedCommand[]): Buffer {
  const w = new BinaryWriter();
  for (const { sequence, timestamp, command } of entries) {
    w.f64(sequence);
    w.f64(timestamp);
    encodeCommand(w, command);
  }
  return Buffer.from(w.view());
}

/**
 * The behaviour every CommandJournal adapter must have. Each test gets a fresh store and
 * opens journals on it as a restarted process would.
 */
export function describeCommandJournalContract(
  adapter: string,
  createStore: () => Promise<JournalStore>,
  { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
): void {
  describe(`CommandJournal contract: ${adapter}`, () => {
    let store: JournalStore;
    const opened: CommandJournal[] = [];
    const open = async (): Promise<{ journal: CommandJournal; last: number }> => {
      const journal = store.journal();
      opened.push(journal);
      return { journal, last: await journal.open() };
    };

    beforeEach(async () => {
      store = await createStore();
    }, timeoutMs);

    afterEach(async () => {
      for (const journal of opened.splice(0)) await journal.close();
      await store.dispose();
    }, timeoutMs);

    it(
      'opens an empty log at sequence 0 and replays nothing',
      async () => {
        const { journal, last } = await open();
        expect(last).toBe(0);
        expect(await replayAll(journal)).toEqual({ entries: [], last: 0 });
      },
      timeoutMs,
    );

    it(
      'replays every command kind exactly as appended, byte for byte',
      async () => {
        const { journal } = await open();
        const appended = sequencedCommands(1, everyCommandKind.length * 2);
        await journal.append(appended.slice(0, 5));
        await journal.append(appended.slice(5));
        const { entries, last } = await replayAll(journal);
        expect(last).toBe(appended.length);
        expect(entries).toStrictEqual(appended);
        expect(encoded(entries).equals(encoded(appended))).toBe(true);
      },
      timeoutMs,
    );

    it(
      'replays from the middle of an append and answers the last sequence past the end',
      async () => {
        const { journal } = await open();
        for (let first = 1; first <= 100; first += 10) await journal.append(sequencedCommands(first, 10));
        expect(await replayAll(journal, 57)).toEqual({ entries: sequencedCommands(57, 44), last: 100 });
        expect(await replayAll(journal, 91)).toEqual({ entries: sequencedCommands(91, 10), last: 100 });
        expect(await replayAll(journal, 101)).toEqual({ entries: [], last: 100 });
      },
      timeoutMs,
    );

    it(
      'keeps everything across close and reopen, and appends after it',
      async () => {
        const first = await open();
        await first.journal.append(sequencedCommands(1, 7));
        await first.journal.append(sequencedCommands(8, 3));
        await first.journal.close();
        const second = await open();
        expect(second.last).toBe(10);
        expect((await replayAll(second.journal)).entries).toStrictEqual(sequencedCommands(1, 10));
        await second.journal.append(sequencedCommands(11, 2));
        await second.journal.close();
        const third = await open();
        expect(third.last).toBe(12);
        expect(await replayAll(third.journal)).toEqual({ entries: sequencedCommands(1, 12), last: 12 });
      },
      timeoutMs,
    );

    it(
      'rejects a non-contiguous append without writing anything',
      async () => {
        const { journal } = await open();
        await journal.append(sequencedCommands(1, 3));
        await expect(journal.append(sequencedCommands(5, 2))).rejects.toThrow('journal expects sequence 4, got 5');
        await expect(journal.append(sequencedCommands(3, 2))).rejects.toThrow('journal expects sequence 4, got 3');
        const gapped = [...sequencedCommands(4, 1), ...sequencedCommands(6, 1)];
        await expect(journal.append(gapped)).rejects.toThrow(/^journal/);
        await journal.append(sequencedCommands(4, 2));
        expect(await replayAll(journal)).toEqual({ entries: sequencedCommands(1, 5), last: 5 });
      },
      timeoutMs,
    );

    it(
      'keeps the order of appends made without waiting for the previous one',
      async () => {
        const { journal } = await open();
        const appends: Promise<void>[] = [];
        for (let first = 1; first <= 200; first += 10) appends.push(journal.append(sequencedCommands(first, 10)));
        await Promise.all(appends);
        expect(await replayAll(journal)).toEqual({ entries: sequencedCommands(1, 200), last: 200 });
      },
      timeoutMs,
    );

    it(
      'appends and replays a batch of 10,000 commands',
      async () => {
        const { journal } = await open();
        const batch = sequencedCommands(1, 10_000);
        await journal.append(batch);
        await journal.append(sequencedCommands(10_001, 1));
        await journal.close();
        const reopened = await open();
        expect(reopened.last).toBe(10_001);
        const { entries, last } = await replayAll(reopened.journal, 2);
        expect(last).toBe(10_001);
        expect(entries.length).toBe(10_000);
        expect(encoded(entries).equals(encoded(sequencedCommands(2, 10_000)))).toBe(true);
      },
      timeoutMs,
    );
  });
}
