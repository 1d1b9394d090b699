import { chatErrors } from '@sd/domain/chat/errors';
import type { ChatUserStore, FriendLink, FriendStore } from '@sd/domain/chat/friendship';
import type { ChatEvents } from './chat-events';
import type { ChatSettings } from './chat-settings';
import { friendStatus, idOf, otherUser, type FriendStatus } from './conversation';

/**
 * Friend requests and friendships. Every change is published, so both users' connections on
 * every instance hear of it; a request crossing one the other way is an acceptance.
 */
export class FriendsUseCase {
  constructor(
    private readonly friends: FriendStore,
    private readonly users: ChatUserStore,
    private readonly events: ChatEvents,
    private readonly settings: Pick<ChatSettings, 'maxFriendsPerUser'>,
    private readonly clock: () => number,
  ) {}

  /** Asks `to` for friendship; answers how `from` now stands with them. */
  async request(from: string, to: unknown): Promise<{ userId: string; status: FriendStatus }> {
    const addressee = idOf(to, 'user_id');
    if (addressee === from) throw chatErrors.selfFriendship();
    if (!(await this.users.exists(addressee))) throw chatErrors.unknownUser();
    if ((await this.friends.linksOf(from)).length >= this.settings.maxFriendsPerUser) throw chatErrors.tooManyFriends(this.settings.maxFriendsPerUser);
    const at = this.clock();
    if (await this.friends.request(from, addressee, at)) return this.changed(from, addressee);
    const link = await this.friends.find(from, addressee);
    if (link?.status === 'accepted') throw chatErrors.alreadyFriends();
    if (link?.requester === addressee && (await this.friends.accept(addressee, from, at))) return this.changed(from, addressee);
    return { userId: addressee, status: friendStatus(link, from) };
  }

  async accept(user: string, from: unknown): Promise<{ userId: string; status: FriendStatus }> {
    const requester = idOf(from, 'user_id');
    if (!(await this.friends.accept(requester, user, this.clock()))) throw chatErrors.noFriendRequest();
    return this.changed(user, requester);
  }

  async decline(user: string, from: unknown): Promise<{ userId: string; status: FriendStatus }> {
    const requester = idOf(from, 'user_id');
    if (!(await this.friends.remove(user, requester, { pendingFrom: requester }))) throw chatErrors.noFriendRequest();
    return this.changed(user, requester);
  }

  /** Ends a friendship, withdraws a request or declines one. */
  async remove(user: string, other: unknown): Promise<{ userId: string; status: FriendStatus }> {
    const otherId = idOf(other, 'user_id');
    if (!(await this.friends.remove(user, otherId))) throw chatErrors.notFriends();
    return this.changed(user, otherId);
  }

  /** Every friend and request of `user`, oldest first. */
  async list(user: string): Promise<Array<{ userId: string; status: FriendStatus }>> {
    return (await this.friends.linksOf(user)).map((link) => ({ userId: otherUser(link, user), status: friendStatus(link, user) }));
  }

  /** The ids of `user`'s friends. */
  async friendsOf(user: string): Promise<string[]> {
    return (await this.friends.linksOf(user)).filter((link) => link.status === 'accepted').map((link) => otherUser(link, user));
  }

  private async changed(user: string, other: string): Promise<{ userId: string; status: FriendStatus }> {
    const link: FriendLink | null = await this.friends.find(user, other);
    await this.events.publish({ type: 'friend', users: [user, other], link });
    return { userId: other, status: friendStatus(link, user) };
  }
}
