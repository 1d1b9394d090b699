import { DomainError } from '@sd/domain/errors';
import type { Clock } from '@sd/domain/exchange/clock';
import type { Logger } from '@sd/domain/logger';
import type { DemoMarket } from './demo-market';
import type { MarketReplay, ReplayStatus } from './market-replay';

/** What a tool polls: whether the demo market runs, the exchange's clock, and the replay's progress. */
export interface SandboxStatus {
  demoMarket: 'on' | 'off';
  clock: number;
  replay: ReplayStatus | null;
}

export interface SandboxParts {
  demo: DemoMarket | null;
  replay: { driver: MarketReplay; start: 'now' | 'wait' } | null;
  clock: Clock;
  logger: Logger;
}

/**
 * The bot developers' sandbox: the demo market, and a market replay. A replay runs first (now,
 * or once a user starts it) with the demo flow off, since its timers would make the journal
 * depend on timing; the demo flow starts when the replay ends.
 */
export class Sandbox {
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly parts: SandboxParts) {}

  /** Opens the replay's tape (refusing a data directory past it) or starts the demo market. */
  async start(): Promise<void> {
    const { replay, demo } = this.parts;
    if (replay === null) {
      await demo?.start();
      return;
    }
    await replay.driver.open();
    if (replay.start === 'now') this.runReplay(replay.driver);
  }

  /** Starts a replay that waits to be started; a conflict otherwise. */
  startReplay(): ReplayStatus {
    const driver = this.parts.replay?.driver;
    if (driver === undefined) throw new DomainError('SANDBOX.NO_REPLAY', 'conflict', 'this exchange runs no market replay (REPLAY_FILE is not set)');
    if (driver.current !== 'waiting') throw new DomainError('SANDBOX.REPLAY_STARTED', 'conflict', `the replay is ${driver.current}, not waiting to start`);
    this.runReplay(driver);
    return driver.status();
  }

  status(): SandboxStatus {
    return { demoMarket: this.parts.demo === null ? 'off' : 'on', clock: this.parts.clock.now(), replay: this.parts.replay?.driver.status() ?? null };
  }

  /** Ends the replay after its current trade and stops the demo flow. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.parts.replay?.driver.stop();
    await this.running;
    await this.parts.demo?.stop();
  }

  private runReplay(driver: MarketReplay): void {
    const { demo, logger } = this.parts;
    this.running = driver.run().then(async () => {
      const status = driver.status();
      if (status.state === 'failed') logger.error({ replay: status }, 'market replay failed');
      else logger.info({ replay: status }, 'market replay done');
      if (!this.stopped) await demo?.start().catch((error: unknown) => logger.error({ err: error }, 'demo market failed to start after the replay'));
    });
  }
}
