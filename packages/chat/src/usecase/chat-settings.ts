/** Who may send a direct message to whom. */
export type DirectMessagePolicy =
  /** Friends only: a request must have been accepted. */
  | 'friends'
  /** Friends, and the two users of a pending request (a message request). */
  | 'requested';

export interface ChatSettings {
  maxTextLength: number;
  /** Most messages one history page returns. */
  maxPageSize: number;
  directMessages: DirectMessagePolicy;
  maxChannelsPerUser: number;
  /** Friends and requests, together. */
  maxFriendsPerUser: number;
  /** The MQ topic every instance publishes to and reads from. */
  topic: string;
  /** Names this instance: its consumer group and its presence events. */
  instanceId: string;
  /** How often this instance sends its heartbeat; others forget it after three. */
  presenceIntervalMs: number;
}

export const CHANNEL_NAME_MAX = 64;
