import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import type { ExchangeCommand, SequencedCommand } from '@sd/domain/exchange/command';
import type { EngineOutput } from '@sd/domain/exchange/engine-output';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import { errorToHttp } from '@sd/http/errors';
import { FileJournal } from '../../repository/journal/file-journal';
import { FileSnapshotStore } from '../../repository/snapshot/file-snapshot-store';
import { MemoryJournal } from '../../repository/journal/memory-journal';
import { MemorySnapshotStore } from '../../repository/snapshot/memory-snapshot-store';
import { RandomCommands } from '../../testing/random-commands';
import { DEFAULT_CURRENCIES, DEFAULT_PRODUCTS } from '../core/catalog/default-products';
import { ProductCatalog } from '../core/catalog/product-catalog';
import { ExchangeEngine } from '../core/engine/exchange-engine';
import { replayAll } from '../../testing/journal-contract';
import { stateHash } from '../../testing/state-hash';
import { RequestParser } from './request-parser';
import { ExchangeGateway, rejectionError } from './exchange-gateway';
import { recoverEngine } from './recovery';
import { Sequencer } from './sequencer';

const catalog = new ProductCatalog(DEFAULT_CURRENCIES, DEFAULT_PRODUCTS);
const deposit = (userId: string, amount = 100): ExchangeCommand => ({ type: 'deposit', userId, currency: 'USDT', amount });

/** Records what the engine had applied when each batch reached the journal and the output. */
class Recorder implements EngineOutput {
  readonly log: string[] = [];
  readonly published: CommandOutcome[][] = [];

  constructor(private readonly engine: ExchangeEngine) {}

  journal(inner: CommandJournal, fail?: () => boolean): CommandJournal {
    return {
      open: () => inner.open(),
      close: () => inner.close(),
      replay: (from, apply) => inner.replay(from, apply),
      append: async (entries: readonly SequencedCommand[]) => {
        this.log.push(`journal ${entries[0]!.sequence}..${entries[entries.length - 1]!.sequence} (engine at ${this.engine.lastSequence})`);
        if (fail?.()) throw new Error('disk full');
        await inner.append(entries);
      },
    };
  }

  async publish(outcomes: readonly CommandOutcome[]): Promise<void> {
    this.log.push(`publish ${outcomes[0]!.sequence}..${outcomes[outcomes.length - 1]!.sequence} (engine at ${this.engine.lastSequence})`);
    this.published.push([...outcomes]);
  }
}

describe('Sequencer', () => {
  it('batches commands of one tick, journals before applying, publishes before answering', async () => {
    const engine = new ExchangeEngine(catalog);
    const recorder = new Recorder(engine);
    const sequencer = new Sequencer(engine, recorder.journal(new MemoryJournal()), recorder, { clock: () => 1000 });
    const answers: number[] = [];
    const promises = ['a', 'b', 'c'].map((user) =>
      sequencer.submit(deposit(user)).then((outcome) => {
        expect(recorder.published.flat()).toContain(outcome);
        answers.push(outcome.sequence);
        return outcome;
      }),
    );
    const outcomes = await Promise.all(promises);
    expect(outcomes.map((o) => [o.sequence, o.timestamp, o.rejection])).toEqual([
      [1, 1000, null],
      [2, 1000, null],
      [3, 1000, null],
    ]);
    expect(answers).toEqual([1, 2, 3]);
    expect(recorder.log).toEqual(['journal 1..3 (engine at 0)', 'publish 1..3 (engine at 3)']);
  });

  it('splits a long queue into batches of maxBatch and keeps time from going backwards', async () => {
    const engine = new ExchangeEngine(catalog);
    const recorder = new Recorder(engine);
    let now = 5000;
    const sequencer = new Sequencer(engine, recorder.journal(new MemoryJournal()), recorder, { maxBatch: 3, clock: () => (now -= 100) });
    const outcomes = await Promise.all(Array.from({ length: 7 }, (_, i) => sequencer.submit(deposit(`u${i}`))));
    expect(recorder.log.filter((line) => line.startsWith('journal')).map((line) => line.split(' ')[1])).toEqual(['1..3', '4..6', '7..7']);
    const times = outcomes.map((o) => o.timestamp);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(engine.lastSequence).toBe(7);
  });

  it('answers a rejection as an outcome, and a request refused by the parser without sequencing it', async () => {
    const engine = new ExchangeEngine(catalog);
    const sequencer = new Sequencer(engine, new MemoryJournal(), { publish: async () => undefined });
    const gateway = new ExchangeGateway(new RequestParser(catalog), sequencer);
    const refused = await gateway.execute({ type: 'deposit', userId: 'a', currency: 'USDT', amount: '1.0000001' });
    expect(refused).toMatchObject({ sequence: null, rejection: { code: 'INVALID_AMOUNT' } });
    expect(engine.lastSequence).toBe(0);
    const rejected = await gateway.execute({ type: 'withdraw', userId: 'a', currency: 'USDT', amount: '1' });
    expect(rejected).toMatchObject({ sequence: 1, rejection: { code: 'INSUFFICIENT_FUNDS' } });
    expect(rejectionError(rejected.rejection!)).toMatchObject({ code: 'EXCHANGE.INSUFFICIENT_FUNDS', kind: 'refused' });
  });

  it('refuses a batch the journal failed to write without applying it, refuses at once for retryAfterMs, then resumes with the same sequence numbers', async () => {
    const engine = new ExchangeEngine(catalog);
    const recorder = new Recorder(engine);
    const inner = new MemoryJournal();
    let failing = false;
    const events: string[] = [];
    const sequencer = new Sequencer(engine, recorder.journal(inner, () => failing), recorder, {
      retryAfterMs: 200,
      onJournalFailed: (outage) => events.push(`failed: ${outage.error.message}`),
      onJournalResumed: (outage) => events.push(`resumed after ${outage.refused} refused`),
    });
    await sequencer.submit(deposit('a'));
    failing = true;
    const refused = await Promise.allSettled([sequencer.submit(deposit('b')), sequencer.submit(deposit('c'))]);
    for (const answer of refused) {
      expect(answer).toMatchObject({ status: 'rejected', reason: { code: 'EXCHANGE.JOURNAL_UNAVAILABLE', kind: 'unavailable', details: { retryAfterSeconds: 0.2 } } });
    }
    expect(engine.lastSequence).toBe(1);
    expect(sequencer.journalOutage).toMatchObject({ refused: 2, error: { message: 'disk full' } });
    // Refused without trying the journal until retryAfterMs has passed.
    const tries = recorder.log.length;
    await expect(sequencer.submit(deposit('d'))).rejects.toMatchObject({ kind: 'unavailable' });
    expect(recorder.log.length).toBe(tries);
    failing = false;
    await new Promise((resolve) => setTimeout(resolve, 250));
    const resumed = await sequencer.submit(deposit('e'));
    expect(resumed.sequence).toBe(2);
    expect(sequencer.journalOutage).toBeNull();
    expect(events).toEqual(['failed: disk full', 'resumed after 3 refused']);
    expect((await replayAll(inner)).entries.map((entry) => [entry.sequence, (entry.command as { userId: string }).userId])).toEqual([[1, 'a'], [2, 'e']]);
    expect(recorder.published.flat().map((outcome) => outcome.sequence)).toEqual([1, 2]);
  });

  it('answers the part of a failed batch the log did commit (an ambiguous remote append) once it reopens', async () => {
    const engine = new ExchangeEngine(catalog);
    const recorder = new Recorder(engine);
    const inner = new MemoryJournal();
    let committedButFailed = 0;
    const journal: CommandJournal = {
      ...recorder.journal(inner),
      append: async (entries) => {
        await inner.append(entries);
        if (committedButFailed-- > 0) throw new Error('commit outcome unknown');
      },
    };
    const sequencer = new Sequencer(engine, journal, recorder, { retryAfterMs: 10 });
    await sequencer.submit(deposit('a'));
    committedButFailed = 1;
    const answers = await Promise.all([sequencer.submit(deposit('b')), sequencer.submit(deposit('c'))]);
    expect(answers.map((outcome) => [outcome.sequence, outcome.rejection])).toEqual([[2, null], [3, null]]);
    expect(engine.lastSequence).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await sequencer.submit(deposit('d'))).sequence).toBe(4);
  });

  it('says the outcome is unknown when the log cannot be reopened after a failed append, and applies what landed once it can', async () => {
    const engine = new ExchangeEngine(catalog);
    const recorder = new Recorder(engine);
    const inner = new MemoryJournal();
    // The broker went away mid-write: the append landed, its answer did not, and the log cannot be asked.
    let gone = false;
    const journal: CommandJournal = {
      ...recorder.journal(inner),
      open: async () => {
        if (gone) throw new Error('broker unreachable');
        return inner.open();
      },
      append: async (entries) => {
        await inner.append(entries);
        if (gone) throw new Error('connection lost during the produce');
      },
    };
    const sequencer = new Sequencer(engine, journal, recorder, { retryAfterMs: 50 });
    await sequencer.submit(deposit('a'));
    gone = true;
    const unknown = await Promise.allSettled([sequencer.submit(deposit('b')), sequencer.submit(deposit('c'))]);
    for (const answer of unknown) {
      expect(answer).toMatchObject({ status: 'rejected', reason: { code: 'EXCHANGE.OUTCOME_UNKNOWN', kind: 'unavailable', details: { retryAfterSeconds: 0.05 } } });
    }
    // Clients get 503 with Retry-After and a message that says to look before sending it again.
    expect(errorToHttp((unknown[0] as PromiseRejectedResult).reason)).toEqual({
      status: 503,
      body: { code: 'EXCHANGE.OUTCOME_UNKNOWN', message: expect.stringMatching(/may still be applied.*GET \/orders\/client:<client_oid>/) },
      headers: { 'retry-after': '1' },
    });
    // A command that never reached the log is refused plainly: it was not applied.
    await expect(sequencer.submit(deposit('d'))).rejects.toMatchObject({ code: 'EXCHANGE.JOURNAL_UNAVAILABLE' });
    expect(engine.lastSequence).toBe(1);
    gone = false;
    await new Promise((resolve) => setTimeout(resolve, 60));
    // The reopened log holds b and c: they are applied and published before the next command.
    expect((await sequencer.submit(deposit('e'))).sequence).toBe(4);
    expect(recorder.published.flat().map((outcome) => [outcome.sequence, (outcome.command as { userId: string }).userId])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'e'],
    ]);
    expect(sequencer.stopped).toBeNull();
  });

  it('stops for good when the reopened log holds commands it did not append', async () => {
    const engine = new ExchangeEngine(catalog);
    const inner = new MemoryJournal();
    let fenced = false;
    const journal: CommandJournal = {
      open: () => inner.open(),
      close: () => inner.close(),
      replay: (from, apply) => inner.replay(from, apply),
      append: async (entries) => {
        if (!fenced) return inner.append(entries);
        // Another writer took the log and appended at the same sequence.
        await inner.append(entries.map((entry) => ({ ...entry, command: deposit('intruder') })));
        throw new Error('fenced');
      },
    };
    const sequencer = new Sequencer(engine, journal, { publish: async () => undefined });
    await sequencer.submit(deposit('a'));
    fenced = true;
    await expect(sequencer.submit(deposit('b'))).rejects.toThrow(/sequencer stopped/);
    expect(sequencer.stopped).not.toBeNull();
    expect(engine.lastSequence).toBe(1);
  });
});

describe('recoverEngine', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'recovery-spec-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('snapshot + journal tail rebuilds the live engine, and so does the journal alone', async () => {
    const journal = new FileJournal({ dir: join(dir, 'journal') });
    await journal.open();
    const engine = new ExchangeEngine(catalog);
    const sequencer = new Sequencer(engine, journal, { publish: async () => undefined }, { maxBatch: 64 });
    const snapshots = new FileSnapshotStore({ dir: join(dir, 'snapshots') });
    const commands = new RandomCommands(catalog, { seed: 11, users: 5 });
    let sequence = 1;
    for (let round = 0; round < 6; round++) {
      await Promise.all(Array.from({ length: 250 }, () => sequencer.submit(commands.next(sequence++))));
      if (round === 2) await snapshots.save(engine.snapshot());
    }
    await sequencer.whenIdle();
    await journal.close();
    const live = stateHash(engine.snapshot());

    const recovered = await recoverEngine(catalog, new FileJournal({ dir: join(dir, 'journal') }), snapshots);
    expect(recovered.lastSequence).toBe(engine.lastSequence);
    expect(stateHash(recovered.snapshot())).toBe(live);
    const fromScratch = await recoverEngine(catalog, new FileJournal({ dir: join(dir, 'journal') }), new MemorySnapshotStore());
    expect(stateHash(fromScratch.snapshot())).toBe(live);
  });

  it('refuses a journal that ends before the snapshot', async () => {
    const engine = new ExchangeEngine(catalog);
    engine.apply({ sequence: 1, timestamp: 0, command: deposit('a') });
    const snapshots = new MemorySnapshotStore();
    await snapshots.save(engine.snapshot());
    await expect(recoverEngine(catalog, new MemoryJournal(), snapshots)).rejects.toThrow(/lost commands/);
  });
});
