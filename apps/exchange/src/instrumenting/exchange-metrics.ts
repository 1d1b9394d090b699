import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import type { ExchangeCommand, SequencedCommand } from '@sd/domain/exchange/command';
import type { CommandSubmitter } from '@sd/domain/exchange/command-submitter';
import type { EngineOutput } from '@sd/domain/exchange/engine-output';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { EngineInstrumentation } from '@sd/exchange/modules/settings';
import type { Metrics } from '@sd/metrics/metrics';
import type { WebSocketServer } from 'ws';
import type { RequestTracing } from './exchange-tracing';

// Operational metrics as wrappers around the exchange's ports, so use cases stay free of them.
// docker/grafana/dashboards/exchange.json queries these names.

/** Metrics and traces around the engine's ports, for the modules to apply where they bind them. */
export function instrumentEngine(metrics: Metrics, traces: RequestTracing): EngineInstrumentation {
  const timing = engineTiming(metrics);
  return {
    journal: (journal) => timing.journal(journal),
    output: (output) => timing.output(traces.output(output)),
    submitter: (submitter) => traces.submitter(countedSubmitter(submitter, metrics)),
  };
}

const APPLY_BUCKETS = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25];

/**
 * Counts the commands this process submits (`exchange_engine_commands_total` by type and result)
 * and how many are queued or in flight, not yet answered (`exchange_sequencer_queue_depth`).
 */
export function countedSubmitter(inner: CommandSubmitter, metrics: Metrics): CommandSubmitter {
  const commands = metrics.counter('exchange_engine_commands_total', 'Commands submitted to the sequencer, by type and result', ['type', 'result']);
  const depth = metrics.gauge('exchange_sequencer_queue_depth', 'Commands submitted and not yet answered (queued, journaling or applying)');
  return {
    submit: async (command: ExchangeCommand): Promise<CommandOutcome> => {
      depth.inc();
      try {
        const outcome = await inner.submit(command);
        commands.inc({ type: command.type, result: outcome.rejection === null ? 'accepted' : 'rejected' });
        return outcome;
      } catch (error) {
        commands.inc({ type: command.type, result: 'failed' });
        throw error;
      } finally {
        depth.dec();
      }
    },
  };
}

/** Group commits: an append waits for the one before it, then writes and syncs (the fsync alone is ~0.2 ms on an idle disk). */
const APPEND_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/**
 * Times the journal and the engine on each batch. `exchange_journal_append_seconds`: from a
 * batch's append to it being durable (the write, the sync, and the previous append it waits
 * for): what a command waits for most; a disk flushing other writes shows here first.
 * `exchange_journal_batch_commands`: the commands each group commit makes durable together.
 * `exchange_engine_apply_seconds`: from the batch being durable to its outcomes being handed to
 * the output (matching, clearing and event building), per command. The sequencer appends and
 * publishes batches in the same order, so the two wrappers pair them through a queue of append times.
 */
export function engineTiming(metrics: Metrics): { journal(journal: CommandJournal): CommandJournal; output(output: EngineOutput): EngineOutput } {
  const apply = metrics.histogram('exchange_engine_apply_seconds', 'Engine time per command, from its batch being durable to its outcomes being published', [], APPLY_BUCKETS);
  const append = metrics.histogram('exchange_journal_append_seconds', 'Time from appending a batch of commands to the journal to it being durable', [], APPEND_BUCKETS);
  const batch = metrics.histogram('exchange_journal_batch_commands', 'Commands made durable by one journal append (group commit)', [], BATCH_BUCKETS);
  const durableAt: number[] = [];
  return {
    journal: (journal) => ({
      open: () => journal.open(),
      append: async (commands: readonly SequencedCommand[]): Promise<void> => {
        const started = performance.now();
        await journal.append(commands);
        const durable = performance.now();
        durableAt.push(durable);
        append.observe((durable - started) / 1000);
        batch.observe(commands.length);
      },
      replay: (from, each) => journal.replay(from, each),
      close: () => journal.close(),
    }),
    output: (output) => ({
      publish: async (outcomes: readonly CommandOutcome[]): Promise<void> => {
        // Outcomes republished at start follow no append: nothing to time.
        const started = durableAt.shift();
        if (started !== undefined && outcomes.length > 0) {
          const perCommand = (performance.now() - started) / 1000 / outcomes.length;
          for (let i = 0; i < outcomes.length; i++) apply.observe(perCommand);
        }
        await output.publish(outcomes);
      },
    }),
  };
}

/**
 * `exchange_outcome_lag_commands`: engine sequence minus what the read side (order and fill
 * history, candles) has stored, sampled every `everyMs`. Answers the closer of the sampler.
 */
export function watchOutcomeLag(
  metrics: Metrics,
  engineSequence: () => number,
  readSideCheckpoint: () => Promise<number>,
  onError: (error: unknown) => void,
  everyMs = 1000,
): () => Promise<void> {
  const lag = metrics.gauge('exchange_outcome_lag_commands', 'Engine sequence minus the read side checkpoint (outcome topic consumer lag, in commands)');
  let sampling: Promise<void> = Promise.resolve();
  const sample = async (): Promise<void> => {
    const checkpoint = await readSideCheckpoint();
    lag.set(Math.max(0, engineSequence() - checkpoint));
  };
  const timer = setInterval(() => {
    sampling = sample().catch(onError);
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await sampling;
  };
}

/** `exchange_websocket_clients`: connected WebSocket clients of this process; answers the server it counts. */
export function countWebSocketClients(wss: WebSocketServer, metrics: Metrics): WebSocketServer {
  const clients = metrics.gauge('exchange_websocket_clients', 'Connected WebSocket clients');
  wss.on('connection', (socket) => {
    clients.inc();
    socket.once('close', () => clients.dec());
  });
  return wss;
}
