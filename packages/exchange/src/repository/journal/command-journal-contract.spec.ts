import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeCommandJournalContract } from '../../testing/journal-contract';
import { createCommandJournal } from './command-journal-factory';

describeCommandJournalContract('memory', async () => {
  // The memory journal is its own storage: "reopening" it is opening the same instance again.
  const journal = createCommandJournal({ kind: 'memory' });
  return { journal: () => journal, dispose: async () => undefined };
});

describeCommandJournalContract('file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'journal-contract-'));
  return {
    journal: () => createCommandJournal({ kind: 'file', dir, segmentBytes: 64 << 10 }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});
