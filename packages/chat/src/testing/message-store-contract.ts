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

      const first = await store.history([room], { limit: 3 });
      expect(first).toEqual([sent[6], sent[5], sent[4]]);
      const second = await store.history([room], { before: first[2]!.id, limit: 3 });
      expect(second).toEqual([sent[3], sent[2], sent[1]]);
      expect(await store.history([room], { before: second[2]!.id, limit: 3 })).toEqual([sent[0]]);
      expect(await store.history([room], { before: sent[0]!.id, limit: 3 })).toEqual([]);
      expect(await store.history([`channel:${randomUUID()}`], { limit: 3 })).toEqual([]);
    });

    it('orders messages of the same millisecond by id', async () => {
      const store = await open();
      const room = `dm:${randomUUID()}:${randomUUID()}`;
      const [a, b] = [message(room, 1, { id: `${at}-00000000000a`, sentAt: at }), message(room, 2, { id: `${at}-00000000000b`, sentAt: at })];
      await store.append(b);
      await store.append(a);
      expect(await store.history([room], { limit: 10 })).toEqual([b, a]);
      expect(await store.history([room], { before: b.id, limit: 10 })).toEqual([a]);
    });

    it('pages several conversations merged newest first to the end, with nothing missing or doubled', async () => {
      const store = await open();
      const rooms = [`channel:${randomUUID()}`, `dm:${randomUUID()}:${randomUUID()}`, `channel:${randomUUID()}`];
      const sent = Array.from({ length: 11 }, (_, n) => message(rooms[n % 3]!, n));
      await store.append(message(`channel:${randomUUID()}`, 5)); // a conversation not asked for
      for (const m of sent) await store.append(m);
      const seen: string[] = [];
      let before: string | undefined;
      for (;;) {
        const page = await store.history(rooms, { before, limit: 4 });
        seen.push(...page.map((m) => m.id));
        if (page.length < 4) break;
        before = page[page.length - 1]!.id;
      }
      expect(seen).toEqual(sent.map((m) => m.id).reverse());
      expect(await store.history(rooms.slice(1, 2), { limit: 10 })).toEqual([sent[10], sent[7], sent[4], sent[1]]);
      expect(await store.history([], { limit: 10 })).toEqual([]);
    });

    it('counts the messages others sent after a marker, per conversation', async () => {
      const store = await open();
      const [room, dm, quiet] = [`channel:${randomUUID()}`, `dm:${randomUUID()}:${randomUUID()}`, `channel:${randomUUID()}`];
      const inRoom = [0, 1, 2, 3, 4].map((n) => message(room, n, { senderId: n === 3 ? 'reader' : `user-${n}` }));
      const inDm = [5, 6].map((n) => message(dm, n, { senderId: 'friend' }));
      for (const m of [...inRoom, ...inDm]) await store.append(m);
      const counts = await store.unreadCounts('reader', [{ conversation: room, after: inRoom[1]!.id }, { conversation: dm }, { conversation: quiet }]);
      expect(Object.fromEntries([room, dm, quiet].map((c) => [c, counts.get(c) ?? 0]))).toEqual({ [room]: 2, [dm]: 2, [quiet]: 0 });
      expect((await store.unreadCounts('reader', [{ conversation: dm, after: inDm[1]!.id }])).get(dm) ?? 0).toBe(0);
    });

    it('keeps one copy of a message appended twice, by two instances at once', async () => {
      const [a, b] = [await open(), await open()];
      const room = `channel:${randomUUID()}`;
      const m = message(room, 1);
      await Promise.all([a.append(m), b.append(m), a.append(m)]);
      expect(await b.history([room], { limit: 10 })).toEqual([m]);
    });
  });
}
