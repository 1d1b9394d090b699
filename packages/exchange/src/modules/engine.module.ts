import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ContainerModule, type Bind } from 'inversify';
import { Lifecycle } from '@sd/app/app-container';
import { Clock } from '@sd/domain/exchange/clock';
import { CommandJournal } from '@sd/domain/exchange/command-journal';
import { CommandSubmitter } from '@sd/domain/exchange/command-submitter';
import { HealthCheck } from '@sd/domain/health';
import { EngineOutput } from '@sd/domain/exchange/engine-output';
import { SnapshotStore } from '@sd/domain/exchange/snapshot-store';
import { Logger } from '@sd/domain/logger';
import { MessageQueue } from '@sd/domain/mq';
import { FileJournal } from '../repository/journal/file-journal';
import { KafkaCommandJournal } from '../repository/journal/kafka-journal';
import { MessageQueueCommandSubmitter, serveCommandRequests } from '../repository/mq/command-requests';
import { MessageQueueEngineOutput } from '../repository/mq/outcome-topic';
import { FileSnapshotStore } from '../repository/snapshot/file-snapshot-store';
import { ProductCatalog } from '../usecase/core/catalog/product-catalog';
import { EngineReader } from '../usecase/core/engine/engine-reader';
import { HistoryQueries } from '../usecase/read/history/history-queries';
import { FollowerEngineReader } from '../usecase/read/replica/follower-engine-reader';
import { EngineHost } from '../usecase/write/engine-host';
import { ExchangeTopicsReady } from './exchange.module';
import { ReadSide } from './read-side.module';
import { EngineSequence, ExchangeSettings, type ExchangeTopics } from './settings';

/** Where the engine keeps its snapshots; the embedded leader also its journal. */
export interface EngineStorage {
  dataDir: string;
  /** `batch`: fdatasync once per group commit before answering; `none`: the OS flushes. */
  journalFsync: 'batch' | 'none';
}

/** The embedded leader's `EngineHost`. */
export const EngineLeader = Symbol.for('sd.exchange.EngineLeader');
/** The standby's role: following the log until the request group makes it the leader. */
export const EngineStandby = Symbol.for('sd.exchange.EngineStandby');

/**
 * The embedded leader: the file journal, snapshots beside it, the outcome topic, and the
 * engine host recovered from them, which is this process's engine state and command submitter.
 */
export function embeddedEngineModule(storage: EngineStorage): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const journal = new FileJournal({ dir: join(storage.dataDir, 'journal'), fsync: storage.journalFsync });
    bind<CommandJournal>(CommandJournal)
      .toResolvedValue((settings: ExchangeSettings) => settings.instrumentation.journal(journal), [ExchangeSettings])
      .inSingletonScope();
    // Failing while appends fail (commands are refused) or the disk is nearly full; snapshots while their writes fail.
    bind<HealthCheck>(HealthCheck).toResolvedValue(
      (host: EngineHost) => ({
        name: 'journal',
        check: async () => {
          host.assertWrites('journal');
          await journal.ping();
        },
      }),
      [EngineLeader],
    );
    bind<HealthCheck>(HealthCheck).toResolvedValue((host: EngineHost) => ({ name: 'snapshots', check: async () => host.assertWrites('snapshots') }), [EngineLeader]);
    bindEngineParts(bind, storage);
    bind<EngineHost>(EngineLeader)
      .toResolvedValue(
        (settings: ExchangeSettings, readSide: ReadSide, catalog: ProductCatalog, journal: CommandJournal, snapshots: SnapshotStore, output: EngineOutput, history: HistoryQueries, clock: Clock, logger: Logger, lifecycle: Lifecycle) =>
          startLeader({ settings, readSide, catalog, journal, snapshots, output, history, clock, logger, lifecycle }),
        [ExchangeSettings, ReadSide, ProductCatalog, CommandJournal, SnapshotStore, EngineOutput, HistoryQueries, Clock, Logger, Lifecycle],
      )
      .inSingletonScope();
    bind<EngineReader>(EngineReader).toResolvedValue((host: EngineHost) => host, [EngineLeader]);
    bind<CommandSubmitter>(CommandSubmitter)
      .toResolvedValue((host: EngineHost, settings: ExchangeSettings) => settings.instrumentation.submitter(host), [EngineLeader, ExchangeSettings])
      .inSingletonScope();
    bind<EngineSequence>(EngineSequence).toResolvedValue((host: EngineHost) => () => host.engine.lastSequence, [EngineLeader]);
  });
}

/**
 * A distributed engine process: a hot standby that follows the Kafka command log (and
 * snapshots as it goes) until the request consumer group hands it the request partition;
 * it then takes the lead by opening the log for writing, which fences the old leader.
 */
export function standbyEngineModule(storage: EngineStorage, kafka: { brokers: readonly string[] }): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bindEngineParts(bind, storage);
    bind<{ sequence: EngineSequence }>(EngineStandby)
      .toResolvedValue(
        (settings: ExchangeSettings, readSide: ReadSide, catalog: ProductCatalog, snapshots: SnapshotStore, output: EngineOutput, history: HistoryQueries, clock: Clock, mq: MessageQueue, logger: Logger, lifecycle: Lifecycle) =>
          startStandby({ settings, readSide, catalog, snapshots, output, history, clock, mq, logger, lifecycle, brokers: kafka.brokers }),
        // The output's binding creates the topics first.
        [ExchangeSettings, ReadSide, ProductCatalog, SnapshotStore, EngineOutput, HistoryQueries, Clock, MessageQueue, Logger, Lifecycle],
      )
      .inSingletonScope();
    bind<EngineSequence>(EngineSequence).toResolvedValue((standby: { sequence: EngineSequence }) => standby.sequence, [EngineStandby]);
  });
}

/**
 * A distributed API process's engine state: a replica that follows the Kafka command log,
 * and the submitter that sends commands to the leader over the message queue.
 */
export function replicaModule(kafka: { brokers: readonly string[] }): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<EngineReader>(EngineReader)
      .toResolvedValue(
        async (settings: ExchangeSettings, catalog: ProductCatalog, logger: Logger, lifecycle: Lifecycle) => {
          const log = new KafkaCommandJournal({ brokers: kafka.brokers, topic: settings.topics.commands, clientId: 'exchange-api', mode: 'read', logger });
          const replica = new FollowerEngineReader(catalog, log, logger.child({ component: 'replica' }));
          lifecycle.onStop(() => log.close());
          const head = await log.open();
          replica.start();
          lifecycle.onStop(() => replica.close());
          // Serve nothing until the replica holds the log as it was at start: a client shown a
          // state behind what it was shown before a restart would be sent events it already has.
          await replica.caughtUp(head);
          return replica;
        },
        [ExchangeSettings, ProductCatalog, Logger, Lifecycle],
      )
      .inSingletonScope();
    // Commands are answered once this process's replica has applied them: it must be following.
    bind<HealthCheck>(HealthCheck).toResolvedValue(
      (replica: EngineReader) => ({
        name: 'command-log-replica',
        check: async () => {
          const failure = (replica as FollowerEngineReader).failure;
          if (failure !== null) throw new Error(`not following the command log: ${failure.message}`);
        },
      }),
      [EngineReader],
    );
    bind<CommandSubmitter>(CommandSubmitter)
      .toResolvedValue(
        async (settings: ExchangeSettings, topics: ExchangeTopics, mq: MessageQueue, lifecycle: Lifecycle) => {
          const remote = new MessageQueueCommandSubmitter(mq, randomUUID(), topics);
          await remote.start();
          lifecycle.onStop(() => remote.close());
          return settings.instrumentation.submitter(remote);
        },
        [ExchangeSettings, ExchangeTopicsReady, MessageQueue, Lifecycle],
      )
      .inSingletonScope();
    bind<EngineSequence>(EngineSequence).toResolvedValue((reader: EngineReader) => () => reader.engine.lastSequence, [EngineReader]);
  });
}

/** Snapshots and the outcome topic, which every engine (leader or standby) writes. */
function bindEngineParts(bind: Bind, storage: EngineStorage): void {
  bind<SnapshotStore>(SnapshotStore).toConstantValue(new FileSnapshotStore({ dir: join(storage.dataDir, 'snapshots'), keep: 3 }));
  bind<EngineOutput>(EngineOutput)
    .toResolvedValue(
      (settings: ExchangeSettings, mq: MessageQueue, topics: ExchangeTopics) => settings.instrumentation.output(new MessageQueueEngineOutput(mq, topics.outcomes)),
      [ExchangeSettings, MessageQueue, ExchangeTopicsReady],
    )
    .inSingletonScope();
}

interface LeaderParts {
  settings: ExchangeSettings;
  readSide: ReadSide;
  catalog: ProductCatalog;
  journal: CommandJournal;
  snapshots: SnapshotStore;
  output: EngineOutput;
  history: HistoryQueries;
  clock: Clock;
  logger: Logger;
  lifecycle: Lifecycle;
}

/** Recovers the engine (republishing what the read side has not stored yet) and sequences from there. */
async function startLeader({ settings, readSide, catalog, journal, snapshots, output, history, clock, logger, lifecycle }: LeaderParts): Promise<EngineHost> {
  const host = await EngineHost.start({
    catalog,
    journal,
    snapshots,
    output,
    logger: logger.child({ component: 'engine' }),
    publishedUpTo: await history.checkpoint(),
    snapshotEvery: settings.snapshotEvery,
    clock: () => clock.now(),
    beforeRepublish: (market) => readSide.learnMarket(market),
  });
  lifecycle.onStop(() => host.close());
  return host;
}

async function startStandby(parts: Omit<LeaderParts, 'journal'> & { mq: MessageQueue; brokers: readonly string[] }): Promise<{ sequence: EngineSequence }> {
  const { settings, catalog, snapshots, mq, logger, lifecycle, brokers } = parts;
  const { topics } = settings;
  const log = new KafkaCommandJournal({ brokers, topic: topics.commands, clientId: 'exchange-standby', mode: 'read', logger });
  const standby = new FollowerEngineReader(catalog, log, logger.child({ component: 'standby' }));
  let snapshotAt = 0;
  // The standby snapshots as it follows, so a take-over replays only a short tail.
  standby.onApplied(() => {
    if (standby.engine.lastSequence - snapshotAt < settings.snapshotEvery) return;
    snapshotAt = standby.engine.lastSequence;
    snapshots.save(standby.engine.snapshot()).catch((error: unknown) => logger.error({ err: error }, 'standby snapshot failed'));
  });
  standby.start();
  lifecycle.onStop(() => log.close());
  lifecycle.onStop(() => standby.close());
  let leader: EngineHost | null = null;
  const becomeLeader = async (): Promise<CommandSubmitter> => {
    logger.info({ sequence: standby.engine.lastSequence }, 'engine taking the lead: the request partition is ours');
    // Stopping the replica's consumer takes seconds; the leader recovers on its own, and the
    // request handler must return soon enough to keep this member in the group.
    void standby.close();
    const journal = settings.instrumentation.journal(new KafkaCommandJournal({ brokers, topic: topics.commands, clientId: 'exchange-engine', logger }));
    leader = await startLeader({ ...parts, journal });
    return settings.instrumentation.submitter(leader);
  };
  const serving = await serveCommandRequests(mq, topics, becomeLeader, (error) => logger.error({ err: error }, 'command request failed'));
  lifecycle.onStop(() => serving.close());
  return { sequence: () => (leader ?? standby).engine.lastSequence };
}
