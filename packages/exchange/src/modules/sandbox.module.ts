import { ContainerModule } from 'inversify';
import { Lifecycle } from '@sd/app/app-container';
import type { Clock, ReplayClock } from '@sd/domain/exchange/clock';
import { TradeStore } from '@sd/domain/exchange/market-data';
import { TapeSource } from '@sd/domain/exchange/tape';
import { Logger } from '@sd/domain/logger';
import { FileTapeSource } from '../repository/tape/file-tape-source';
import { EngineReader } from '../usecase/core/engine/engine-reader';
import { DEMO_MARKET_DEFAULTS, DemoMarket, type DemoMarketOptions } from '../usecase/sandbox/demo-market';
import { MarketReplay, type MarketReplayOptions } from '../usecase/sandbox/market-replay';
import { Sandbox } from '../usecase/sandbox/sandbox';
import { SandboxFunds } from '../usecase/sandbox/sandbox-funds';
import { FundsUseCase } from '../usecase/write/funds.usecase';
import { TradingUseCase } from '../usecase/write/trading.usecase';

/** The bot developers' sandbox of a process: the demo market (null: off) and a market replay (null: none). */
export interface SandboxConfig {
  demoMarket: Pick<DemoMarketOptions, 'seed' | 'prices'> | null;
  /** Embedded only: the replay drives the engine's clock. */
  replay: (Omit<MarketReplayOptions, 'levels'> & { start: 'now' | 'wait' }) | null;
}

export const NO_SANDBOX: SandboxConfig = { demoMarket: null, replay: null };

export { Sandbox };

/**
 * The sandbox of an API process, over its trading and funds use cases: `TapeSource` (tapes in
 * files) and `Sandbox`, stopped with the container (before the engine closes). `replayClock`
 * is the clock the exchange module was given when a replay is configured.
 */
export function sandboxModule(config: SandboxConfig, clock: Clock, replayClock: ReplayClock | null): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<TapeSource>(TapeSource).toConstantValue(new FileTapeSource());
    bind(Sandbox)
      .toResolvedValue(
        (trading: TradingUseCase, fundsUseCase: FundsUseCase, reader: EngineReader, trades: TradeStore, tapes: TapeSource, logger: Logger, lifecycle: Lifecycle) => {
          const funds = new SandboxFunds(fundsUseCase, reader);
          const sandboxLogger = logger.child({ component: 'sandbox' });
          const demo = config.demoMarket === null ? null : new DemoMarket({ trading, funds, reader, trades, logger: sandboxLogger }, { ...DEMO_MARKET_DEFAULTS, ...config.demoMarket });
          let replay = null;
          if (config.replay !== null) {
            if (replayClock === null) throw new Error('a market replay needs the replay clock');
            const { start, ...options } = config.replay;
            replay = { driver: new MarketReplay({ trading, funds, reader, clock: replayClock, tapes }, { ...options, levels: DEMO_MARKET_DEFAULTS.levels }), start };
          }
          const sandbox = new Sandbox({ demo, replay, clock, logger: sandboxLogger });
          lifecycle.onStop(() => sandbox.stop());
          return sandbox;
        },
        [TradingUseCase, FundsUseCase, EngineReader, TradeStore, TapeSource, Logger, Lifecycle],
      )
      .inSingletonScope();
  });
}
