import { closeSync, constants, fdatasync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { access, mkdir, open, readdir, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { types } from 'node:util';
import { crc32 } from 'node:zlib';
import type { CommandJournal } from '@sd/domain/exchange/command-journal';
import type { SequencedCommand } from '@sd/domain/exchange/command';
import { BinaryReader, BinaryWriter } from '../codec/binary-buffer';
import { decodeCommand, encodeCommand } from '../codec/command-codec';

export interface FileJournalOptions {
  dir: string;
  /**
   * `batch` (default): fdatasync after every append, so a resolved append survives a power
   * cut; one sync covers a whole group commit. `none`: leave flushing to the OS (survives a
   * process crash, not a machine crash).
   */
  fsync?: 'batch' | 'none';
  /** A new segment file starts once the current one reaches this size. Default 256 MiB. */
  segmentBytes?: number;
  /** The writes and syncs of appends. Default node:fs; a test passes one that fails like a full or broken disk. */
  io?: JournalIo;
}

/** What an append does to its segment file. */
export interface JournalIo {
  /** Writes at `position`; answers the bytes written (node's `writeSync`). */
  write(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  datasync(fd: number): Promise<void>;
}

export const nodeJournalIo: JournalIo = {
  write: (fd, buffer, offset, length, position) => writeSync(fd, buffer, offset, length, position),
  datasync: (fd) => new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve()))),
};

/** Frame: u32 payload length, u32 CRC-32 of the payload, payload. */
const HEADER = 8;
/** Payload: f64 first sequence, u32 count, then per command f64 timestamp + encoded command. */
const PAYLOAD_HEADER = 12;
const SEGMENT = /^journal-(\d{20})\.log$/;
const READ_CHUNK = 8 << 20;
/** Room a few full group commits need; below it the next append may fail with ENOSPC. */
const MIN_FREE_BYTES = 64 << 20;

interface Segment {
  firstSequence: number;
  path: string;
}

/**
 * Append-only binary journal in segment files named by their first sequence. One append is
 * one CRC-framed record, so a record torn by a crash is detected on open and cut off: the
 * log then ends at the last complete append, which is all a caller was ever told was durable.
 *
 * A failed write or sync (ENOSPC, EIO) fails that append and every later one until `open`
 * is called again, which cuts the log back to the last append that resolved: after a failed
 * fdatasync the page cache may still show the record, so only a resolved append counts.
 * An append resolves only after every earlier one did, so no durable record ever follows
 * one that is not.
 */
export class FileJournal implements CommandJournal {
  private readonly fsync: 'batch' | 'none';
  private readonly segmentBytes: number;
  private readonly io: JournalIo;
  private readonly writer = new BinaryWriter(1 << 20);
  /** Descriptor of the segment being appended to. */
  private fd = -1;
  private segmentSize = 0;
  /** The last sequence written (durable or not). */
  private lastSequence = 0;
  /** The last sequence of an append that resolved; null before this instance first opened the log. */
  private durableSequence: number | null = null;
  /** Why appends are refused until the next `open`. */
  private failure: Error | null = null;
  /** Settles when the last append does; appends resolve in order behind it. */
  private tail: Promise<void> = Promise.resolve();
  /** Bytes of torn tail removed by the last `open`. */
  truncatedBytes = 0;

  constructor(private readonly options: FileJournalOptions) {
    this.fsync = options.fsync ?? 'batch';
    this.segmentBytes = options.segmentBytes ?? 256 << 20;
    this.io = options.io ?? nodeJournalIo;
  }

  /**
   * Opens the log, or reopens it after a failed append: then every record past the last
   * append that resolved is cut off (segments started after it are removed), so the next
   * append continues from it.
   */
  async open(): Promise<number> {
    await this.tail;
    this.closeSegment();
    await mkdir(this.options.dir, { recursive: true });
    const upTo = this.durableSequence ?? Infinity;
    let segments = await this.segments();
    // Segments started after the last durable append hold nothing durable.
    const beyond = segments.filter((segment) => segment.firstSequence > upTo);
    if (beyond.length > 0) {
      await Promise.all(beyond.map((segment) => unlink(segment.path)));
      if (this.fsync === 'batch') await syncDirectory(this.options.dir);
      segments = segments.filter((segment) => !beyond.includes(segment));
    }
    const last = segments[segments.length - 1];
    if (last === undefined) {
      await this.startSegment(this.durableSequence === null ? 1 : upTo + 1);
    } else {
      const scan = await scanSegment(last.path, last.firstSequence, upTo);
      this.truncatedBytes = scan.fileSize - scan.validBytes;
      this.fd = openSync(last.path, 'r+');
      if (this.truncatedBytes > 0) {
        ftruncateSync(this.fd, scan.validBytes);
        await this.io.datasync(this.fd);
      }
      this.segmentSize = scan.validBytes;
      this.lastSequence = scan.lastSequence ?? last.firstSequence - 1;
    }
    if (this.durableSequence !== null && this.lastSequence !== this.durableSequence) {
      throw new Error(`journal reopened at ${this.lastSequence}, not at its last durable append ${this.durableSequence}`);
    }
    this.durableSequence = this.lastSequence;
    this.failure = null;
    return this.lastSequence;
  }

  /**
   * The write itself is synchronous: it only copies into the page cache, and doing it inline
   * leaves a single thread-pool job (the sync) that overlaps the engine's work on the
   * previous batch instead of two round trips.
   */
  async append(commands: readonly SequencedCommand[]): Promise<void> {
    if (this.failure !== null) throw new Error('journal failed; reopen it', { cause: this.failure });
    if (this.fd < 0) throw new Error('journal is not open');
    if (commands.length === 0) return;
    const first = commands[0]!.sequence;
    if (first !== this.lastSequence + 1) throw new Error(`journal expects sequence ${this.lastSequence + 1}, got ${first}`);
    const w = this.writer;
    w.reset();
    w.u32(0);
    w.u32(0);
    w.f64(first);
    w.u32(commands.length);
    for (let i = 0; i < commands.length; i++) {
      const entry = commands[i]!;
      if (entry.sequence !== first + i) throw new Error('journal appends must be contiguous');
      w.f64(entry.timestamp);
      encodeCommand(w, entry.command);
    }
    const frame = w.view();
    const payload = frame.subarray(HEADER);
    w.u32At(0, payload.length);
    w.u32At(4, crc32(payload));
    const previous = this.tail;
    const last = first + commands.length - 1;
    const done = this.write(frame, first, last).then(async ({ fd, newSegment }) => {
      try {
        await Promise.all([previous, this.fsync === 'batch' && this.io.datasync(fd), this.fsync === 'batch' && newSegment && syncDirectory(this.options.dir)]);
      } catch (error) {
        this.failure ??= asError(error);
      }
      // An earlier append failed: this record follows a cut, so it is not durable either.
      if (this.failure !== null) throw this.failure;
      this.durableSequence = last;
    });
    this.tail = done.catch(() => undefined);
    return done;
  }

  /**
   * Writes the frame (in a new segment when the current one is full); answers whether it
   * started a segment, whose directory entry must be synced too. A failure fails the
   * journal at once, so no later append writes after a hole.
   */
  private async write(frame: Uint8Array, first: number, last: number): Promise<{ fd: number; newSegment: boolean }> {
    try {
      const newSegment = this.segmentSize >= this.segmentBytes;
      if (newSegment) {
        const full = this.fd;
        // Closed once the appends written to it are synced.
        void this.tail.then(() => closeSync(full));
        this.fd = -1;
        this.fd = openSync(segmentPath(this.options.dir, first), 'w');
        this.segmentSize = 0;
      }
      for (let written = 0; written < frame.length; ) {
        written += this.io.write(this.fd, frame, written, frame.length - written, this.segmentSize + written);
      }
      this.segmentSize += frame.length;
      this.lastSequence = last;
      return { fd: this.fd, newSegment };
    } catch (error) {
      this.failure ??= asError(error);
      throw this.failure;
    }
  }

  async replay(fromSequence: number, apply: (entry: SequencedCommand) => void): Promise<number> {
    const segments = await this.segments();
    let start = 0;
    for (let i = 0; i < segments.length; i++) if (segments[i]!.firstSequence <= fromSequence) start = i;
    let last = 0;
    for (const segment of segments.slice(start)) {
      await readFrames(segment.path, (payload) => {
        const r = new BinaryReader(payload);
        const firstSequence = r.f64();
        const count = r.u32();
        if (last !== 0 && firstSequence !== last + 1) throw new Error(`journal gap: ${last} then ${firstSequence}`);
        last = firstSequence + count - 1;
        if (last < fromSequence) return;
        for (let i = 0; i < count; i++) {
          const timestamp = r.f64();
          const command = decodeCommand(r);
          const sequence = firstSequence + i;
          if (sequence >= fromSequence) apply({ sequence, timestamp, command });
        }
        return;
      });
    }
    return last;
  }

  /** Resolves while an append can land (readiness): open, its directory writable, room on its file system. */
  async ping(): Promise<void> {
    if (this.fd < 0) throw new Error('journal is not open');
    await access(this.options.dir, constants.W_OK);
    const { bavail, bsize } = await statfs(this.options.dir);
    if (bavail * bsize < MIN_FREE_BYTES) throw new Error(`journal file system has ${bavail * bsize} bytes free, under ${MIN_FREE_BYTES}`);
  }

  async close(): Promise<void> {
    await this.tail;
    this.closeSegment();
  }

  private closeSegment(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private async startSegment(firstSequence: number): Promise<void> {
    this.fd = openSync(segmentPath(this.options.dir, firstSequence), 'w');
    this.segmentSize = 0;
    this.lastSequence = firstSequence - 1;
    // A new file is durable only once its directory entry is.
    if (this.fsync === 'batch') await syncDirectory(this.options.dir);
  }

  private async segments(): Promise<Segment[]> {
    const names = await readdir(this.options.dir);
    return names
      .map((name) => SEGMENT.exec(name))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => ({ firstSequence: Number(match[1]), path: join(this.options.dir, match[0]) }))
      .sort((a, b) => a.firstSequence - b.firstSequence);
  }
}

/** Node's errors (ENOSPC, EIO) keep their code; `instanceof Error` misses them across realms (Jest). */
function asError(error: unknown): Error {
  return types.isNativeError(error) ? error : new Error(String(error));
}

function segmentPath(dir: string, firstSequence: number): string {
  return join(dir, `journal-${String(firstSequence).padStart(20, '0')}.log`);
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Calls `onFrame` with each intact frame's payload, reading the file in large chunks, and
 * answers how many leading bytes are intact: reading stops at the first short or corrupt frame.
 */
async function readFrames(path: string, onFrame: (payload: Buffer) => void): Promise<{ validBytes: number; fileSize: number }> {
  const handle = await open(path, 'r');
  try {
    const fileSize = (await handle.stat()).size;
    let buffer = Buffer.allocUnsafe(READ_CHUNK);
    let filled = 0;
    let consumed = 0;
    let fileOffset = 0;
    let validBytes = 0;
    for (;;) {
      // Keep unparsed bytes at the front, then fill the rest from the file.
      if (consumed > 0) {
        buffer.copy(buffer, 0, consumed, filled);
        filled -= consumed;
        consumed = 0;
      }
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, fileOffset);
      fileOffset += bytesRead;
      filled += bytesRead;
      let progressed = false;
      while (filled - consumed >= HEADER) {
        const length = buffer.readUInt32LE(consumed);
        if (length < PAYLOAD_HEADER || validBytes + HEADER + length > fileSize) return { validBytes, fileSize };
        if (filled - consumed < HEADER + length) {
          if (HEADER + length > buffer.length) {
            const grown = Buffer.allocUnsafe(HEADER + length);
            buffer.copy(grown, 0, consumed, filled);
            filled -= consumed;
            consumed = 0;
            buffer = grown;
          }
          break;
        }
        const payload = buffer.subarray(consumed + HEADER, consumed + HEADER + length);
        if (crc32(payload) !== buffer.readUInt32LE(consumed + 4)) return { validBytes, fileSize };
        onFrame(payload);
        consumed += HEADER + length;
        validBytes += HEADER + length;
        progressed = true;
      }
      if (bytesRead === 0 && !progressed) return { validBytes, fileSize };
    }
  } finally {
    await handle.close();
  }
}

/** The intact, in-sequence frames of a segment that end at or before `upTo`. */
async function scanSegment(path: string, firstSequence: number, upTo: number): Promise<{ validBytes: number; fileSize: number; lastSequence: number | null }> {
  let lastSequence: number | null = null;
  let expected = firstSequence;
  let torn = false;
  let validUpTo = 0;
  const result = await readFrames(path, (payload) => {
    if (torn) return;
    const first = payload.readDoubleLE(0);
    const count = payload.readUInt32LE(8);
    // A frame out of sequence is as unusable as a torn one: the log ends before it.
    if (first !== expected || first + count - 1 > upTo) {
      torn = true;
      return;
    }
    expected = first + count;
    lastSequence = expected - 1;
    validUpTo += HEADER + payload.length;
  });
  return { validBytes: torn ? validUpTo : result.validBytes, fileSize: result.fileSize, lastSequence };
}
