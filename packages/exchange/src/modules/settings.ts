import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import type { CommandSubmitter } from '@sd/domain/exchange/command-submitter';
import type { EngineOutput } from '@sd/domain/exchange/engine-output';
import type { Currency, Product } from '@sd/domain/exchange/product';

/** What a process of the exchange runs: the engine leader (or a standby), the HTTP/WebSocket API, the history writer. */
export type ExchangeRole = 'engine' | 'api' | 'history';

/** Topic names of one exchange on a message queue (several exchanges may share one Kafka). */
export interface ExchangeTopics {
  /** The command log (distributed mode). */
  commands: string;
  /** Engine outcomes, one message per sequencer batch. */
  outcomes: string;
  /** Commands from API replicas to the leader, and its answers. */
  requests: string;
  replies: string;
  /** Candles the read side stored, for push. */
  candles: string;
}

export function topicsNamed(prefix: string): ExchangeTopics {
  return { commands: `${prefix}.commands`, outcomes: `${prefix}.outcomes`, requests: `${prefix}.requests`, replies: `${prefix}.replies`, candles: `${prefix}.candles` };
}

/**
 * Wrappers applied to the engine's ports where the modules bind them (metrics, traces), so
 * the use cases and the engine stay free of them.
 */
export interface EngineInstrumentation {
  journal(journal: CommandJournal): CommandJournal;
  output(output: EngineOutput): EngineOutput;
  submitter(submitter: CommandSubmitter): CommandSubmitter;
}

export const uninstrumented: EngineInstrumentation = { journal: (j) => j, output: (o) => o, submitter: (s) => s };

/** What every role of one exchange shares. */
export interface ExchangeSettings {
  currencies: readonly Currency[];
  products: readonly Product[];
  topics: ExchangeTopics;
  /** Save an engine snapshot after this many commands. */
  snapshotEvery: number;
  instrumentation: EngineInstrumentation;
}

export const ExchangeSettings = Symbol.for('sd.exchange.ExchangeSettings');

/** The sequence this process's engine state has applied (leader, standby or replica), or null without one. */
export type EngineSequence = () => number | null;
export const EngineSequence = Symbol.for('sd.exchange.EngineSequence');
