import { Presets, SingleBar } from 'cli-progress';
import type { ReplayJson } from '../client';

/** Shows how far a replay is, on stderr. */
export interface ReplayProgress {
  update(replay: ReplayJson, fills: number): void;
  stop(): void;
}

const percent = (replay: ReplayJson): number => (replay.bytes_total === 0 ? 100 : Math.floor((100 * replay.bytes_read) / replay.bytes_total));

/** A bar redrawn in place on a terminal; periodic lines when the stream is a file or a pipe. */
export function replayProgress(stream: NodeJS.WriteStream, everyMs = 5_000): ReplayProgress {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream, everyMs);
}

function barProgress(stream: NodeJS.WriteStream): ReplayProgress {
  const bar = new SingleBar(
    { stream, format: 'replay {bar} {percentage}% | tape {tape} | {trades} trades replayed | {fills} fills | {state}', hideCursor: true, noTTYOutput: false },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(replay, fills) {
      const payload = { tape: replay.tape_time ?? '-', trades: replay.trades_replayed, fills, state: replay.state };
      if (!started) bar.start(100, percent(replay), payload);
      else bar.update(percent(replay), payload);
      started = true;
    },
    stop: () => void (started && bar.stop()),
  };
}

/** One line every `everyMs`, and whenever the state changes. */
export function lineProgress(stream: Pick<NodeJS.WritableStream, 'write'>, everyMs: number, now: () => number = Date.now): ReplayProgress {
  let lastAt = -Infinity;
  let lastState: string | undefined;
  return {
    update(replay, fills) {
      if (replay.state === lastState && now() - lastAt < everyMs) return;
      lastAt = now();
      lastState = replay.state;
      stream.write(`replay ${replay.state} ${percent(replay)}% (${replay.bytes_read} of ${replay.bytes_total} bytes), tape ${replay.tape_time ?? '-'}, ${replay.trades_replayed} trades replayed, ${fills} fills\n`);
    },
    stop: () => undefined,
  };
}
