import { describeCommandSubmitterContract } from '../../testing/command-submitter-contract';
import { startMemoryEngineHost } from '../../testing/memory-engine-host';

describeCommandSubmitterContract('in-process engine host', async () => {
  const host = await startMemoryEngineHost();
  return { submitter: host, close: () => host.close() };
});
