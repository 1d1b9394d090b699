import type { ExchangeCommand } from './command';
import type { CommandOutcome } from './event';

/**
 * Where the API hands a parsed command: the in-process sequencer (embedded default) or the
 * engine leader behind the message queue (distributed). Resolves once the command is durable
 * in the log and applied; a rejection is an outcome, not an error.
 */
export interface CommandSubmitter {
  submit(command: ExchangeCommand): Promise<CommandOutcome>;
}

export const CommandSubmitter = Symbol.for('sd.exchange.CommandSubmitter');
