import { EngineDriver } from '../../testing/engine-driver';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec';

describe('snapshot codec', () => {
  it('round-trips a snapshot with its market, listed products and statuses included', () => {
    const d = new EngineDriver();
    d.deposit('alice', 'BTC', '1');
    d.run({ type: 'set_product_status', productId: 'ETH-BTC', status: 'post_only' });
    d.run({ type: 'place', userId: 'alice', productId: 'BTC-USDT', side: 'sell', orderType: 'limit', price: '30000', size: '0.5', clientOid: 'ü' });
    const snapshot = d.engine.snapshot();
    expect(decodeSnapshot(encodeSnapshot(snapshot))).toEqual(snapshot);
  });

  it('still reads version 1, which had no market', () => {
    const d = new EngineDriver();
    d.deposit('alice', 'BTC', '1');
    const snapshot = { ...d.engine.snapshot(), market: null };
    const v2 = encodeSnapshot(snapshot);
    // Version 1 is version 2 without the market's presence byte after the last trade id.
    const presence = 4 + 1 + 3 * 8;
    const v1 = Buffer.concat([v2.subarray(0, presence), v2.subarray(presence + 1)]);
    v1[4] = 1;
    expect(decodeSnapshot(v1)).toEqual(snapshot);
  });
});
