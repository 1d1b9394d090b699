import { randomUUID } from 'node:crypto';
import type { ChannelStore } from '@sd/domain/chat/channel';
import type { ChatUserStore, FriendStore } from '@sd/domain/chat/friendship';
import type { ReadMarkerStore } from '@sd/domain/chat/message';

export interface ChatRelationStores {
  users: ChatUserStore;
  friends: FriendStore;
  channels: ChannelStore;
  markers: ReadMarkerStore;
}

/**
 * The contract suites of the chat's relation ports. `open` gives stores on one database;
 * calling it twice is two app instances sharing that database. Users are fresh ids per test.
 */
export function describeChatRelationContracts(adapter: string, open: () => Promise<ChatRelationStores>): void {
  const user = (): string => randomUUID();

  describe(`ChatUserStore contract: ${adapter}`, () => {
    it('knows the users it registered, once each', async () => {
      const [a, b] = [await open(), await open()];
      const id = user();
      expect(await a.users.exists(id)).toBe(false);
      await Promise.all([a.users.register(id, 1), b.users.register(id, 2), a.users.register(id, 3)]);
      expect(await b.users.exists(id)).toBe(true);
      expect(await b.users.exists(user())).toBe(false);
    });
  });

  describe(`FriendStore contract: ${adapter}`, () => {
    it('keeps one link per pair: a request, then its acceptance by the addressee only', async () => {
      const { friends } = await open();
      const [ann, bob, cid] = [user(), user(), user()];
      expect(await friends.request(ann, bob, 10)).toBe(true);
      expect(await friends.request(ann, bob, 11)).toBe(false);
      expect(await friends.request(bob, ann, 12)).toBe(false); // the reverse is the same pair
      expect(await friends.find(bob, ann)).toEqual({ requester: ann, addressee: bob, status: 'pending', requestedAt: 10, acceptedAt: null });
      expect(await friends.accept(bob, ann, 20)).toBe(false); // bob did not ask
      expect(await friends.accept(ann, bob, 20)).toBe(true);
      expect(await friends.accept(ann, bob, 21)).toBe(false);
      expect(await friends.find(ann, bob)).toEqual({ requester: ann, addressee: bob, status: 'accepted', requestedAt: 10, acceptedAt: 20 });
      expect(await friends.request(cid, ann, 30)).toBe(true);
      expect(await friends.linksOf(ann)).toEqual([
        { requester: ann, addressee: bob, status: 'accepted', requestedAt: 10, acceptedAt: 20 },
        { requester: cid, addressee: ann, status: 'pending', requestedAt: 30, acceptedAt: null },
      ]);
      expect(await friends.linksOf(bob)).toHaveLength(1);
      expect(await friends.linksOf(user())).toEqual([]);
    });

    it('lets exactly one of two crossing requests in', async () => {
      const [a, b] = [await open(), await open()];
      const [ann, bob] = [user(), user()];
      const results = await Promise.all([a.friends.request(ann, bob, 1), b.friends.request(bob, ann, 1)]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('removes a link, or only a pending request its sender names', async () => {
      const { friends } = await open();
      const [ann, bob] = [user(), user()];
      await friends.request(ann, bob, 1);
      expect(await friends.remove(ann, bob, { pendingFrom: bob })).toBeNull();
      expect(await friends.remove(bob, ann, { pendingFrom: ann })).toMatchObject({ requester: ann, status: 'pending' });
      expect(await friends.find(ann, bob)).toBeNull();
      await friends.request(bob, ann, 2);
      await friends.accept(bob, ann, 3);
      expect(await friends.remove(ann, bob, { pendingFrom: bob })).toBeNull(); // accepted: not a pending request
      expect(await friends.remove(ann, bob)).toMatchObject({ requester: bob, status: 'accepted' });
      expect(await friends.remove(ann, bob)).toBeNull();
    });
  });

  describe(`ChannelStore contract: ${adapter}`, () => {
    const channel = (ownerId: string, name = 'book club') => ({ id: randomUUID(), name, ownerId, createdAt: 100 });

    it('creates a channel with its owner as first member, and adds each member once', async () => {
      const [a, b] = [await open(), await open()];
      const [ann, bob, cid] = [user(), user(), user()];
      const club = channel(ann, 'Book club ✓');
      await a.channels.create(club);
      expect(await b.channels.find(club.id)).toEqual(club);
      expect(await b.channels.members(club.id)).toEqual([ann]);
      const joins = await Promise.all([a.channels.addMember(club.id, bob, 200), b.channels.addMember(club.id, bob, 201)]);
      expect(joins.filter(Boolean)).toHaveLength(1);
      expect(await a.channels.addMember(club.id, cid, 300)).toBe(true);
      expect(await a.channels.addMember(randomUUID(), cid, 300)).toBe(false); // no such channel
      expect(await a.channels.members(club.id)).toEqual([ann, bob, cid]);
      expect(await a.channels.isMember(club.id, bob)).toBe(true);
      expect(await a.channels.isMember(club.id, user())).toBe(false);
    });

    it('lists a user’s channels in join order and who shares one with them', async () => {
      const { channels } = await open();
      const [ann, bob, cid, dan] = [user(), user(), user(), user()];
      const [first, second, other] = [channel(bob, 'first'), channel(ann, 'second'), channel(dan, 'other')];
      await channels.create(first);
      await channels.create(second);
      await channels.create(other);
      await channels.addMember(first.id, ann, 150);
      await channels.addMember(second.id, cid, 160);
      await channels.addMember(first.id, cid, 170);
      expect((await channels.channelsOf(ann)).map((c) => c.name)).toEqual(['second', 'first']);
      expect(await channels.coMembers(ann)).toEqual([bob, cid].sort());
      expect(await channels.coMembers(dan)).toEqual([]);
      expect(await channels.channelsOf(user())).toEqual([]);
    });

    it('renames, hands over, removes members and deletes', async () => {
      const { channels } = await open();
      const [ann, bob] = [user(), user()];
      const club = channel(ann);
      await channels.create(club);
      await channels.addMember(club.id, bob, 200);
      expect(await channels.update(club.id, { name: 'renamed', ownerId: bob })).toBe(true);
      expect(await channels.find(club.id)).toEqual({ ...club, name: 'renamed', ownerId: bob });
      expect(await channels.removeMember(club.id, ann)).toBe(true);
      expect(await channels.removeMember(club.id, ann)).toBe(false);
      expect(await channels.members(club.id)).toEqual([bob]);
      await channels.delete(club.id);
      expect(await channels.find(club.id)).toBeNull();
      expect(await channels.channelsOf(bob)).toEqual([]);
      expect(await channels.update(club.id, { name: 'gone' })).toBe(false);
    });
  });

  describe(`ReadMarkerStore contract: ${adapter}`, () => {
    it('moves a marker forward only, per user and conversation, also when instances race', async () => {
      const [a, b] = [await open(), await open()];
      const [ann, bob] = [user(), user()];
      const room = `channel:${randomUUID()}`;
      expect(await a.markers.markRead(ann, room, '1700000000002-000000000000')).toBe('1700000000002-000000000000');
      expect(await a.markers.markRead(ann, room, '1700000000001-ffffffffffff')).toBe('1700000000002-000000000000');
      await Promise.all([a.markers.markRead(ann, room, '1700000000005-000000000000'), b.markers.markRead(ann, room, '1700000000004-000000000000')]);
      await b.markers.markRead(bob, room, '1700000000003-000000000000');
      await b.markers.markRead(ann, 'dm:x:y', '1700000000009-000000000000');
      expect(await b.markers.markers(ann)).toEqual(new Map([[room, '1700000000005-000000000000'], ['dm:x:y', '1700000000009-000000000000']]));
      expect(await a.markers.markers(user())).toEqual(new Map());
    });
  });
}
