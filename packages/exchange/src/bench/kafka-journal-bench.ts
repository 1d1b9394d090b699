import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaCommandJournal } from '../repository/journal/kafka-journal';
import { sequencedCommands } from '../testing/journal-contract';

/**
 * `pnpm bench:kafka-journal` (KAFKA_BROKERS, default 127.0.0.1:19092): appends batches of
 * BENCH_BATCH commands one after the other, as the sequencer does (each a transaction,
 * acks=all), then replays the whole log through a read-only journal. Not run in CI.
 */
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 200);
const WARMUP = 10;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function main(): Promise<void> {
  const topic = `bench-journal-${randomUUID()}`;
  const writer = new KafkaCommandJournal({ brokers, topic, clientId: 'journal-bench' });
  const reader = new KafkaCommandJournal({ brokers, topic, clientId: 'journal-bench', mode: 'read' });
  try {
    await writer.open();
    const batches = Array.from({ length: WARMUP + BATCHES }, (_, i) => sequencedCommands(1 + i * BATCH, BATCH));
    for (const batch of batches.slice(0, WARMUP)) await writer.append(batch);
    const latencies: number[] = [];
    const started = process.hrtime.bigint();
    for (const batch of batches.slice(WARMUP)) {
      const t = process.hrtime.bigint();
      await writer.append(batch);
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const appendSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    latencies.sort((a, b) => a - b);

    await reader.open();
    let replayed = 0;
    const replayStarted = process.hrtime.bigint();
    await reader.replay(1, () => replayed++);
    const replaySeconds = Number(process.hrtime.bigint() - replayStarted) / 1e9;

    const result = {
      batch: BATCH,
      batches: BATCHES,
      appendCommandsPerSecond: Math.round((BATCH * BATCHES) / appendSeconds),
      appendP50Ms: Number(percentile(latencies, 0.5).toFixed(1)),
      appendP99Ms: Number(percentile(latencies, 0.99).toFixed(1)),
      replayCommands: replayed,
      replayCommandsPerSecond: Math.round(replayed / replaySeconds),
    };
    console.log(`append ${BATCHES} x ${BATCH} commands: ${result.appendCommandsPerSecond} commands/s, per append p50 ${result.appendP50Ms} ms, p99 ${result.appendP99Ms} ms`);
    console.log(`replay ${replayed} commands: ${result.replayCommandsPerSecond} commands/s (group join included)`);
    console.log(JSON.stringify(result));
  } finally {
    await writer.close();
    await reader.close();
    const admin = new Kafka({ clientId: 'journal-bench', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
