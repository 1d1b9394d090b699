import { CandlestickSeries, createChart, HistogramSeries, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import type { Candle } from './candles';

/** Candlesticks with volume bars underneath. Numbers here are for drawing only; amounts stay strings elsewhere. */
export class PriceChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;

  constructor(element: HTMLElement) {
    this.chart = createChart(element, {
      autoSize: true,
      layout: { background: { color: 'transparent' }, textColor: '#7d8896', attributionLogo: false },
      grid: { vertLines: { color: '#1e2630' }, horzLines: { color: '#1e2630' } },
      timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#26303c', rightOffset: 4 },
      rightPriceScale: { borderColor: '#26303c' },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: '#1fb978',
      downColor: '#ef5350',
      borderVisible: false,
      wickUpColor: '#1fb978',
      wickDownColor: '#ef5350',
    });
    this.volume = this.chart.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' } });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  }

  /** Shows prices with the decimals of the product's quote increment. */
  precision(decimals: number): void {
    this.candles.applyOptions({ priceFormat: { type: 'price', precision: decimals, minMove: 10 ** -decimals } });
  }

  set(candles: Candle[]): void {
    this.candles.setData(candles.map(bar));
    this.volume.setData(candles.map(volumeBar));
    this.chart.timeScale().scrollToRealTime();
  }

  update(candle: Candle): void {
    this.candles.update(bar(candle));
    this.volume.update(volumeBar(candle));
  }
}

function bar(c: Candle): { time: UTCTimestamp; open: number; high: number; low: number; close: number } {
  return { time: c.time as UTCTimestamp, open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close) };
}

function volumeBar(c: Candle): { time: UTCTimestamp; value: number; color: string } {
  const up = Number(c.close) >= Number(c.open);
  return { time: c.time as UTCTimestamp, value: Number(c.volume), color: up ? 'rgba(31,185,120,0.45)' : 'rgba(239,83,80,0.45)' };
}
