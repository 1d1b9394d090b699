/** Two users' link: a pending request from `requester` to `addressee`, or a friendship. */
export interface FriendLink {
  requester: string;
  addressee: string;
  status: 'pending' | 'accepted';
  requestedAt: number;
  acceptedAt: number | null;
}

/** Friend requests and friendships, one link per pair of users whoever asked. */
export interface FriendStore {
  /** Stores a pending request; false (nothing stored) when the two are linked already, in either direction. */
  request(requester: string, addressee: string, at: number): Promise<boolean>;
  /** Turns the pending request `requester` → `addressee` into a friendship; false when there is none. */
  accept(requester: string, addressee: string, at: number): Promise<boolean>;
  /** Deletes the link between `a` and `b`; with `pendingFrom`, only a pending request that user sent. Answers what was deleted. */
  remove(a: string, b: string, options?: { pendingFrom?: string }): Promise<FriendLink | null>;
  find(a: string, b: string): Promise<FriendLink | null>;
  /** Every link of `userId`, oldest request first. */
  linksOf(userId: string): Promise<FriendLink[]>;
}

export const FriendStore = Symbol.for('sd.chat.FriendStore');

/** The users who have used the chat: only they can be befriended. */
export interface ChatUserStore {
  /** Records `userId` (again: a no-op). */
  register(userId: string, at: number): Promise<void>;
  exists(userId: string): Promise<boolean>;
}

export const ChatUserStore = Symbol.for('sd.chat.ChatUserStore');
