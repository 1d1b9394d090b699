import { Parser } from '@asyncapi/parser';
import { asyncApiDocument } from './asyncapi';

describe('asyncApiDocument', () => {
  it('is a valid AsyncAPI 3 document with every channel and message of the feed, and order entry', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(asyncApiDocument()));
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    const messages = document!.allMessages().all().map((message) => message.id());
    for (const name of ['subscribe', 'ticker', 'snapshot', 'l2update', 'match', 'received', 'open', 'done', 'change', 'funds', 'candles', 'heartbeat', 'place_order', 'cancel_order', 'cancel_all', 'order_response', 'cancel_order_response', 'cancel_all_response']) {
      expect(messages).toContain(name);
    }
    const operations = document!.operations().all().map((operation) => operation.id());
    expect(operations).toEqual(expect.arrayContaining(['send_full', 'send_level2_batch', 'send_ticker', 'receive_subscribe', 'receive_orders']));
  });
});
