import type { ExchangeRequest } from '@sd/domain/exchange/command';
import type { CommandSubmitter } from '@sd/domain/exchange/command-submitter';
import type { EngineOutput } from '@sd/domain/exchange/engine-output';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import { createLogger } from '@sd/logging/logger';
import { uninstrumented, type EngineInstrumentation } from '../modules/settings';
import { MemoryJournal } from '../repository/journal/memory-journal';
import { MemorySnapshotStore } from '../repository/snapshot/memory-snapshot-store';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../usecase/core/catalog/default-products';
import { ProductCatalog } from '../usecase/core/catalog/product-catalog';
import { EngineHost } from '../usecase/write/engine-host';
import { RequestParser } from '../usecase/write/request-parser';

export interface MemoryEngineHostOptions {
  /** Wrapped around the journal and the output as the engine module wraps them where it binds them. */
  instrumentation?: EngineInstrumentation;
  /** Where outcomes are published; nowhere by default. */
  output?: EngineOutput;
}

/** An engine leader on a fresh memory journal and snapshot store, with the default products. */
export function startMemoryEngineHost({ instrumentation = uninstrumented, output = { publish: async () => undefined } }: MemoryEngineHostOptions = {}): Promise<EngineHost> {
  return EngineHost.start({
    catalog: new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS),
    journal: instrumentation.journal(new MemoryJournal()),
    snapshots: new MemorySnapshotStore(),
    output: instrumentation.output(output),
    logger: createLogger({ name: 'test', level: 'silent' }),
  });
}

/** Parses each request against the host's catalog, as the API does, and submits it through `submitter`; a request the parser refuses throws. */
export function requestSubmitter(host: EngineHost, submitter: CommandSubmitter = host): (request: ExchangeRequest) => Promise<CommandOutcome> {
  const parser = new RequestParser(host.engine.catalog);
  return (request) => {
    const parsed = parser.parse(request);
    if (parsed.command === null) throw new Error(`request refused by the parser: ${parsed.rejection.code}`);
    return submitter.submit(parsed.command);
  };
}
