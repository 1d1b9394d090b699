import { ClientMessages, REQUEST_TYPES, ServerMessages } from './ws-schemas';

/** Which messages each channel carries, for the document's operations. */
const CHANNEL_MESSAGES: Readonly<Record<string, readonly (keyof typeof ServerMessages)[]>> = {
  heartbeat: ['heartbeat'],
  ticker: ['ticker'],
  level2: ['snapshot', 'l2update'],
  level2_batch: ['snapshot', 'l2update'],
  matches: ['match'],
  full: ['received', 'open', 'done', 'match', 'change'],
  candles: ['candles'],
  user: ['received', 'open', 'done', 'match', 'change'],
  funds: ['funds'],
};

/**
 * The AsyncAPI 3 document of the `/ws` feed, built from the message schemas push is checked
 * against: one WebSocket channel, the client's subscribe and unsubscribe, its order requests
 * and their answers, and per feed channel an operation naming the messages it sends.
 */
export function asyncApiDocument(options: { version: string; description?: string } = { version: '1.0.0' }): Record<string, unknown> {
  const ref = (name: string) => ({ $ref: `#/channels/feed/messages/${name}` });
  const messages = Object.fromEntries(
    [...Object.entries(ClientMessages), ...Object.entries(ServerMessages)].map(([name, payload]) => [
      name,
      { name, title: name, summary: payload.description, contentType: 'application/json', payload: plain(payload) },
    ]),
  );
  const sent = Object.fromEntries(
    Object.entries(CHANNEL_MESSAGES).map(([channel, names]) => [
      `send_${channel}`,
      { action: 'send', channel: { $ref: '#/channels/feed' }, summary: `What the ${channel} channel sends`, messages: names.map(ref) },
    ]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Exchange WebSocket feed',
      version: options.version,
      description:
        options.description ??
        'Coinbase-Exchange style market and account feed, and order entry. Send subscribe with channels and product_ids; every message carries the engine sequence it follows from, and a subscription receives only what happens after the state it was shown. A signed-in connection places and cancels orders with place_order, cancel_order and cancel_all, answered as REST answers them.',
    },
    defaultContentType: 'application/json',
    channels: {
      feed: { address: '/ws', title: 'The feed', messages: Object.fromEntries(Object.keys(messages).map((name) => [name, { $ref: `#/components/messages/${name}` }])) },
    },
    operations: {
      receive_subscribe: { action: 'receive', channel: { $ref: '#/channels/feed' }, summary: 'Subscribe and unsubscribe', messages: [ref('subscribe'), ref('unsubscribe')] },
      receive_orders: {
        action: 'receive',
        channel: { $ref: '#/channels/feed' },
        summary: 'Order entry: place, cancel and cancel all, each with a request_id; answered on the same socket',
        description:
          'As REST: the same order body and answer, refusals with the same codes and messages (and the HTTP status), the trade permission and the per-user order limit; an answer is sent only once the command is durable in the journal. A signed-in connection may have many requests outstanding; answers come as they are done, with their request_id.',
        messages: REQUEST_TYPES.map(ref),
      },
      send_replies: {
        action: 'send',
        channel: { $ref: '#/channels/feed' },
        summary: 'Answers to the client',
        messages: [ref('subscriptions'), ref('order_response'), ref('cancel_order_response'), ref('cancel_all_response'), ref('error')],
      },
      ...sent,
    },
    components: { messages },
  };
}

/** A TypeBox schema as plain JSON Schema (without TypeBox's symbol-keyed markers). */
function plain(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema));
}
