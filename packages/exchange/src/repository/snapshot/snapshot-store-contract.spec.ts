import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSnapshotStoreContract } from '../../testing/snapshot-store-contract';
import { FileSnapshotStore } from './file-snapshot-store';
import { MemorySnapshotStore } from './memory-snapshot-store';

describeSnapshotStoreContract('memory', async () => ({ store: new MemorySnapshotStore(), dispose: async () => undefined }));

describeSnapshotStoreContract('file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'snapshot-contract-'));
  return { store: new FileSnapshotStore({ dir, keep: 3 }), dispose: () => rm(dir, { recursive: true, force: true }) };
});
