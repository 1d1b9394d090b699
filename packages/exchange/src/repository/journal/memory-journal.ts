import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import type { SequencedCommand } from '@sd/domain/exchange/command';

/** Journal kept in memory: for tests and for runs that need no durability. */
export class MemoryJournal implements CommandJournal {
  private readonly entries: SequencedCommand[] = [];

  async open(): Promise<number> {
    return this.entries.length;
  }

  async append(commands: readonly SequencedCommand[]): Promise<void> {
    commands.forEach((entry, i) => {
      if (entry.sequence !== this.entries.length + 1 + i) throw new Error(`journal expects sequence ${this.entries.length + 1 + i}, got ${entry.sequence}`);
    });
    this.entries.push(...commands);
  }

  async replay(fromSequence: number, apply: (entry: SequencedCommand) => void): Promise<number> {
    for (let i = Math.max(fromSequence, 1) - 1; i < this.entries.length; i++) apply(this.entries[i]!);
    return this.entries.length;
  }

  async close(): Promise<void> {}
}
