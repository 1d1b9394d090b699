import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { SequencedCommand } from '@sd/domain/exchange/command';
import { serviceUrl } from '@sd/testing/services';
import { describeCommandJournalContract, replayAll, sequencedCommands } from '../../testing/journal-contract';
import { createCommandJournal } from './command-journal-factory';
import { KafkaCommandJournal, type KafkaJournalConfig } from './kafka-journal';

const brokers = serviceUrl('kafka').split(',');
const kafka = new Kafka({ clientId: 'journal-spec-admin', brokers, logLevel: logLevel.NOTHING });

async function deleteTopic(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [topic] });
  } finally {
    await admin.disconnect();
  }
}

describeCommandJournalContract(
  'kafka',
  async () => {
    const topic = `journal-contract-${randomUUID()}`;
    return {
      journal: () => createCommandJournal({ kind: 'kafka', brokers, topic, clientId: 'journal-contract' }),
      dispose: () => deleteTopic(topic),
    };
  },
  { timeoutMs: 60_000 },
);

async function eventually(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('KafkaCommandJournal', () => {
  let topic: string;
  const opened: KafkaCommandJournal[] = [];
  const journal = (config: Partial<KafkaJournalConfig> = {}): KafkaCommandJournal => {
    const created = new KafkaCommandJournal({ brokers, topic, clientId: 'journal-spec', ...config });
    opened.push(created);
    return created;
  };

  beforeEach(() => {
    topic = `journal-spec-${randomUUID()}`;
  });

  afterEach(async () => {
    for (const each of opened.splice(0)) await each.close().catch(() => undefined);
    await deleteTopic(topic);
  });

  it('fences the writer that opened first: its appends fail, the new writer continues the log', async () => {
    const old = journal();
    await old.open();
    await old.append(sequencedCommands(1, 3));
    const successor = journal();
    expect(await successor.open()).toBe(3);
    await expect(old.append(sequencedCommands(4, 2))).rejects.toThrow('fenced by a newer writer');
    // Once failed, the old writer refuses everything until it is reopened (and so fences in turn).
    await expect(old.append(sequencedCommands(6, 1))).rejects.toThrow('reopen the journal');
    await successor.append(sequencedCommands(4, 3));
    const reader = journal({ mode: 'read' });
    expect(await reader.open()).toBe(6);
    expect(await replayAll(reader)).toEqual({ entries: sequencedCommands(1, 6), last: 6 });
  });

  it('opens a reader without fencing the writer, and refuses appends through the reader', async () => {
    const writer = journal();
    await writer.open();
    await writer.append(sequencedCommands(1, 2));
    const reader = journal({ mode: 'read' });
    expect(await reader.open()).toBe(2);
    await writer.append(sequencedCommands(3, 2));
    await expect(reader.append(sequencedCommands(5, 1))).rejects.toThrow('read-only');
    expect(await replayAll(reader, 2)).toEqual({ entries: sequencedCommands(2, 3), last: 4 });
  });

  it('follows the log live from a sequence, in order, until stopped', async () => {
    const writer = journal();
    await writer.open();
    await writer.append(sequencedCommands(1, 5));
    const follower = journal({ mode: 'read' });
    const seen: SequencedCommand[] = [];
    const stop = new AbortController();
    const following = follower.follow(3, (entry) => seen.push(entry), { signal: stop.signal });
    await eventually(() => seen.length === 3, 'the existing tail');
    for (let first = 6; first <= 50; first += 5) await writer.append(sequencedCommands(first, 5));
    await eventually(() => seen.length === 48, 'the live appends');
    stop.abort();
    expect(await following).toBe(50);
    expect(seen).toStrictEqual(sequencedCommands(3, 48));
  });

  it('stops following with the error of an apply that throws', async () => {
    const writer = journal();
    await writer.open();
    await writer.append(sequencedCommands(1, 3));
    const applied: number[] = [];
    const following = journal({ mode: 'read' }).follow(
      1,
      ({ sequence }) => {
        if (sequence === 2) throw new Error('engine diverged');
        applied.push(sequence);
      },
      { signal: new AbortController().signal },
    );
    await expect(following).rejects.toThrow('engine diverged');
    expect(applied).toEqual([1]);
  });

  it('splits a large append into several messages of one transaction and replays from inside any of them', async () => {
    const writer = journal({ maxMessageBytes: 1024 });
    await writer.open();
    await writer.append(sequencedCommands(1, 500));
    await writer.append(sequencedCommands(501, 1));
    const reader = journal({ mode: 'read' });
    expect(await reader.open()).toBe(501);
    for (const from of [1, 137, 250, 499, 501]) {
      expect(await replayAll(reader, from)).toEqual({ entries: sequencedCommands(from, 502 - from), last: 501 });
    }
  });

  it('refuses a topic whose settings would break the sequence index or expire the log', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '604800000' }] }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
    await expect(journal().open()).rejects.toThrow(`command log topic ${topic} needs retention.ms=-1, has 604800000`);
  });
});
