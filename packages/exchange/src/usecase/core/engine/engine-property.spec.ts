import type { ExchangeCommand, SequencedCommand } from '@sd/domain/exchange/command';
import type { DecimalOutcome } from '../money/event-format';
import { EngineDriver } from '../../../testing/engine-driver';
import { checkInvariants } from '../../../testing/engine-invariants';
import { Prng } from '../../../testing/prng';
import { RandomCommands } from '../../../testing/random-commands';
import { decodeSnapshot, encodeSnapshot } from '../../../repository/codec/snapshot-codec';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../catalog/default-products';
import { ProductCatalog } from '../catalog/product-catalog';
import { ExchangeEngine } from './exchange-engine';
import { stateHash } from '../../../testing/state-hash';

const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);

function stream(seed: number, length: number): SequencedCommand[] {
  const commands = new RandomCommands(catalog, { seed, users: 6 });
  const entries: SequencedCommand[] = [];
  for (let sequence = 1; sequence <= length; sequence++) {
    const command: ExchangeCommand = commands.next(sequence);
    entries.push({ sequence, timestamp: 1_700_000_000_000 + sequence, command });
  }
  return entries;
}

describe('ExchangeEngine over long random command streams', () => {
  it.each([1, 2, 3])('keeps every invariant after every command (seed %i)', (seed) => {
    const driver = new EngineDriver(catalog, { clientOidRetention: 50 });
    const outcomes: DecimalOutcome[] = [];
    for (const entry of stream(seed, 3_000)) outcomes.push(driver.apply(entry.command));
    // The stream must exercise the engine, not just bounce off validation.
    const events = outcomes.flatMap((o) => o.events.map((e) => (e.type === 'done' ? `done:${e.cancelReason ?? 'filled'}` : e.type)));
    for (const kind of ['match', 'open', 'change', 'done:filled', 'done:user', 'done:ioc', 'done:self_trade', 'done:no_liquidity']) {
      expect(events).toContain(kind);
    }
    const codes = new Set(outcomes.map((o) => o.rejection?.code).filter(Boolean));
    for (const code of ['INSUFFICIENT_FUNDS', 'ORDER_NOT_FOUND', 'DUPLICATE_CLIENT_OID', 'POST_ONLY_WOULD_CROSS', 'FOK_NOT_FILLABLE', 'UNKNOWN_PRODUCT']) {
      expect(codes).toContain(code);
    }
  });

  it.each([4, 5])('is deterministic: same stream, same outcomes and state; replay without events too (seed %i)', (seed) => {
    const entries = stream(seed, 8_000);
    const a = new ExchangeEngine(catalog);
    const b = new ExchangeEngine(catalog);
    const quiet = new ExchangeEngine(catalog);
    for (const entry of entries) {
      expect(b.apply(entry)).toEqual(a.apply(entry));
      quiet.replay(entry);
    }
    expect(stateHash(b.snapshot())).toBe(stateHash(a.snapshot()));
    expect(stateHash(quiet.snapshot())).toBe(stateHash(a.snapshot()));
    expect(checkInvariants(a.snapshot(), catalog)).toEqual([]);
  });

  it.each([6, 7, 8])('snapshot at a random point + replay of the tail equals the full run (seed %i)', (seed) => {
    const entries = stream(seed, 8_000);
    const cut = new Prng(seed).int(100, entries.length - 100);
    const full = new ExchangeEngine(catalog);
    for (const entry of entries.slice(0, cut)) full.apply(entry);
    const bytes = encodeSnapshot(full.snapshot());
    const restored = ExchangeEngine.restore(catalog, decodeSnapshot(bytes));
    expect(restored.lastSequence).toBe(cut);
    for (const entry of entries.slice(cut)) expect(restored.apply(entry)).toEqual(full.apply(entry));
    expect(stateHash(restored.snapshot())).toBe(stateHash(full.snapshot()));
  });

  it('detects a difference: a different stream gives a different hash', () => {
    const a = new ExchangeEngine(catalog);
    const b = new ExchangeEngine(catalog);
    const entries = stream(9, 500);
    for (const entry of entries) a.apply(entry);
    for (const entry of entries.slice(0, -1)) b.apply(entry);
    b.apply({ ...entries[entries.length - 1]!, command: { type: 'deposit', userId: 'user-0', currency: 'BTC', amount: 1 } });
    expect(stateHash(b.snapshot())).not.toBe(stateHash(a.snapshot()));
  });
});
