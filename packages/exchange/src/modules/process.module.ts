import type { Container } from 'inversify';
import { HealthCheck } from '@sd/domain/health';
import { SystemClock, TapeClock } from '../repository/clock/clocks';
import { mqModule, type MqConfig } from '@sd/mq/mq.module';
import { HistoryQueries } from '../usecase/read/history/history-queries';
import { readSideLagCheck } from '../usecase/read/read-side-lag';
import { PushServer } from '../delivery/ws/push-server';
import { apiModule } from './api.module';
import { embeddedEngineModule, EngineStandby, replicaModule, standbyEngineModule, type EngineStorage } from './engine.module';
import { exchangeModule } from './exchange.module';
import { HistoryWriter, historyModule } from './history.module';
import { ReadSide, readSideModule, type ReadSideConfig } from './read-side.module';
import { Sandbox, sandboxModule, type SandboxConfig } from './sandbox.module';
import { EngineSequence, type ExchangeRole, type ExchangeSettings } from './settings';

/** One process of the exchange: the roles it runs and where each keeps its state. */
export interface ExchangeProcessConfig {
  roles: ReadonlySet<ExchangeRole>;
  /** Distributed: the Kafka brokers whose command log the engines share; embedded: null (the file journal). */
  commandLog: { brokers: readonly string[] } | null;
  mq: MqConfig;
  settings: ExchangeSettings;
  readSide: ReadSideConfig;
  storage: EngineStorage;
  /** Readiness fails while the read side is more than this many commands behind the engine state. */
  readyMaxLag: number;
  /** The demo market and the market replay (API role); a replay puts the exchange on the replay's clock. */
  sandbox: SandboxConfig;
}

/** Bound in every process: its `checkpoint` is how far the read side has projected, for an app watching its lag. */
export { HistoryQueries };

/** What readiness asks in this process (bound by `startExchangeProcess`). */
export const ExchangeHealth = Symbol.for('sd.exchange.ExchangeHealth');

/**
 * Loads the modules of the roles this process runs and starts them in order: the engine first
 * (it recovers before anything reads it), then the history writer, then the API (push, then
 * the sandbox: the demo market's first quotes, or the replay's tape opened). Every
 * app that composes the exchange calls it (the Coinbase API, the gitbitex one), then mounts its
 * delivery. Needs `createAppContainer`'s bindings and, for the API role, an `Authenticator`.
 */
export async function startExchangeProcess(container: Container, config: ExchangeProcessConfig): Promise<void> {
  const { roles, commandLog } = config;
  const replayClock = config.sandbox.replay === null ? null : new TapeClock();
  const clock = replayClock ?? new SystemClock();
  container.load(mqModule(config.mq), exchangeModule(config.settings, clock), readSideModule(config.readSide));
  if (roles.has('engine')) container.load(commandLog === null ? embeddedEngineModule(config.storage) : standbyEngineModule(config.storage, commandLog));
  if (roles.has('api') && commandLog !== null) container.load(replicaModule(commandLog));
  if (roles.has('history')) container.load(historyModule());
  if (roles.has('api')) container.load(apiModule(), sandboxModule(config.sandbox, clock, replayClock));
  if (!container.isBound(EngineSequence)) container.bind<EngineSequence>(EngineSequence).toConstantValue(() => null);
  container
    .bind<HealthCheck[]>(ExchangeHealth)
    .toResolvedValue(
      async (readSide: ReadSide, history: HistoryQueries, sequence: EngineSequence) => {
        const bound = await container.getAllAsync<HealthCheck>(HealthCheck, { optional: true });
        return [...bound, ...readSide.health, readSideLagCheck({ engineSequence: sequence, checkpoint: () => history.checkpoint(), maxLag: config.readyMaxLag })];
      },
      [ReadSide, HistoryQueries, EngineSequence],
    )
    .inSingletonScope();

  if (roles.has('engine')) await container.getAsync(commandLog === null ? EngineSequence : EngineStandby);
  if (roles.has('history')) await container.getAsync(HistoryWriter);
  if (roles.has('api')) {
    await container.getAsync(PushServer);
    await (await container.getAsync(Sandbox)).start();
  }
}
