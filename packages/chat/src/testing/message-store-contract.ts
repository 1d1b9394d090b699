import { randomBytes, randomUUID } from 'node:crypto';
import type { ChatMessage, MessageStore } from '@sd/domain/chat/message';

/** What every MessageStore must do. `open` returns a store; tests use conversations of their own. */
export function describeMessageStoreContract(name: string, open: () => Promise<MessageStore>): void {
  const at = 1_700_000_000_000;
  const message = (conversation: string, n: number, overrides: Partial<ChatMessage> = {}): ChatMessage => ({
    // Ids are unique across conversations, as the hub makes them: the store may key by id alone.
    id: `${String(at + n).padStart(13, '0')}-${randomBytes(6).toString('hex')}`,
    conversation,
    senderId: `user-${n % 3}`,
    text: `message ${n} — ünïcode ✓`,
    sentAt: at + n,
    ...overrides,
  });

  describe(`MessageStore contract: ${name}`, () => {
    it('pages a conversation newest first with a cursor, never mixing conversations', async () => {
      const store = await open();
      const [room, other] = [`channel:${randomUUID()}`, `channel:${randomUUID()}`];
      const sent = Array.from({ length: 7 }, (_, n) => message(room, n));
      for (const m of [...sent].reverse()) await store.append(m); // stored out of order
      await store.append(message(other, 3, { id: `${at + 3}-ffffffffffff` }));

      const first = await store.history(room, { limit: 3 });
      expect(first).toEqual([sent[6], sent[5], sent[4]]);
      const second = await store.history(room, { before: first[2]!.id, limit: 3 });
      expect(second).toEqual([sent[3], sent[2], sent[1]]);
      expect(await store.history(room, { before: second[2]!.id, limit: 3 })).toEqual([sent[0]]);
      expect(await store.history(room, { before: sent[0]!.id, limit: 3 })).toEqual([]);
      expect(await store.history(`channel:${randomUUID()}`, { limit: 3 })).toEqual([]);
    });

    it('orders messages of the same millisecond by id', async () => {
      const store = await open();
      const room = `dm:${randomUUID()}:${randomUUID()}`;
      const [a, b] = [message(room, 1, { id: `${at}-00000000000a`, sentAt: at }), message(room, 2, { id: `${at}-00000000000b`, sentAt: at })];
      await store.append(b);
      await store.append(a);
      expect(await store.history(room, { limit: 10 })).toEqual([b, a]);
      expect(await store.history(room, { before: b.id, limit: 10 })).toEqual([a]);
    });

    it('keeps one copy of a message appended twice, by two instances at once', async () => {
      const [a, b] = [await open(), await open()];
      const room = `channel:${randomUUID()}`;
      const m = message(room, 1);
      await Promise.all([a.append(m), b.append(m), a.append(m)]);
      expect(await b.history(room, { limit: 10 })).toEqual([m]);
    });
  });
}
