import { CandleSeries, candleOf } from './candles';

describe('CandleSeries', () => {
  it('lists REST candles (newest first on the wire) oldest first', () => {
    const series = new CandleSeries(60, [
      [180, '9', '11', '10', '10.5', '2'],
      [120, '8', '10', '9', '9.5', '1'],
    ]);
    expect(series.list().map((c) => c.time)).toEqual([120, 180]);
    expect(series.list()[0]).toEqual({ time: 120, low: '8', high: '10', open: '9', close: '9.5', volume: '1' });
  });

  it('at 60 s replaces the minute with the pushed candle', () => {
    const series = new CandleSeries(60, [[180, '9', '11', '10', '10.5', '2']]);
    expect(series.applyMinute(candleOf([180, '8', '11', '10', '8.5', '3']))).toEqual({ time: 180, low: '8', high: '11', open: '10', close: '8.5', volume: '3' });
    series.applyMinute(candleOf([240, '8.5', '8.5', '8.5', '8.5', '0.1']));
    expect(series.list().map((c) => c.time)).toEqual([180, 240]);
  });

  it('folds live minutes into a larger bucket, counting the loaded minute only by its growth', () => {
    // The 5-minute bucket at 300 was loaded with 1.5 traded, 0.5 of it in the minute at 360.
    const loadedMinute = candleOf([360, '10', '10', '10', '10', '0.5']);
    const series = new CandleSeries(300, [[300, '9', '12', '11', '10', '1.5']], loadedMinute);
    expect(series.applyMinute(candleOf([360, '10', '13', '10', '13', '0.75']))).toEqual({ time: 300, low: '9', high: '13', open: '11', close: '13', volume: '1.75' });
    expect(series.applyMinute(candleOf([420, '7', '8', '8', '7', '0.1']))).toEqual({ time: 300, low: '7', high: '13', open: '11', close: '7', volume: '1.85' });
    // A minute in the next bucket starts a bucket of its own.
    expect(series.applyMinute(candleOf([600, '7.5', '7.5', '7.5', '7.5', '2']))).toEqual({ time: 600, low: '7.5', high: '7.5', open: '7.5', close: '7.5', volume: '2' });
    expect(series.list().map((c) => c.time)).toEqual([300, 600]);
  });
});
