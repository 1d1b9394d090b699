import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import { FileJournal, type FileJournalOptions } from './file-journal';
import { KafkaCommandJournal, type KafkaJournalConfig } from './kafka-journal';
import { MemoryJournal } from './memory-journal';

/** Which command log the exchange runs on: chosen by configuration at the composition root. */
export type CommandJournalConfig =
  | { kind: 'memory' }
  | ({ kind: 'file' } & FileJournalOptions)
  | ({ kind: 'kafka' } & KafkaJournalConfig);

/** Builds the journal; the caller opens it (recovery does, and learns the last durable sequence). */
export function createCommandJournal(config: CommandJournalConfig): CommandJournal {
  switch (config.kind) {
    case 'memory':
      return new MemoryJournal();
    case 'file': {
      const { kind: _kind, ...options } = config;
      return new FileJournal(options);
    }
    case 'kafka': {
      const { kind: _kind, ...options } = config;
      return new KafkaCommandJournal(options);
    }
  }
}
