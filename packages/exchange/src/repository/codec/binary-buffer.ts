/**
 * Little-endian binary writer over one growable buffer, reused across batches so encoding
 * allocates only when the buffer must grow. Numbers are f64: every engine amount is a safe
 * integer, which a double holds exactly.
 */
export class BinaryWriter {
  private buffer: Buffer;
  offset = 0;

  constructor(initialBytes = 1 << 16) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  reset(): void {
    this.offset = 0;
  }

  /** The bytes written since `reset`; valid until the next write. */
  view(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }

  ensure(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }

  u8(value: number): void {
    this.ensure(1);
    this.buffer[this.offset++] = value;
  }

  u32(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(value, this.offset);
    this.offset += 4;
  }

  /** Overwrites a u32 written earlier (a length or checksum known only afterwards). */
  u32At(position: number, value: number): void {
    this.buffer.writeUInt32LE(value, position);
  }

  f64(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.offset);
    this.offset += 8;
  }

  bool(value: boolean): void {
    this.u8(value ? 1 : 0);
  }

  /** u16 byte length + UTF-8; ASCII, the usual case, is copied byte by byte. */
  str(value: string): void {
    const length = value.length;
    this.ensure(2 + length * 3);
    const buffer = this.buffer;
    const start = this.offset + 2;
    let i = 0;
    for (; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code > 0x7f) break;
      buffer[start + i] = code;
    }
    const bytes = i === length ? length : buffer.write(value, start, 'utf8');
    if (bytes > 0xffff) throw new Error('string longer than 65535 bytes');
    buffer.writeUInt16LE(bytes, this.offset);
    this.offset = start + bytes;
  }

  nullableStr(value: string | null): void {
    if (value === null) {
      this.u8(0);
    } else {
      this.u8(1);
      this.str(value);
    }
  }
}

/** Reads what BinaryWriter wrote; throws RangeError past `end`. */
export class BinaryReader {
  constructor(
    readonly buffer: Buffer,
    public offset = 0,
    readonly end = buffer.length,
  ) {}

  private take(bytes: number): number {
    const at = this.offset;
    if (at + bytes > this.end) throw new RangeError('read past the end of the record');
    this.offset = at + bytes;
    return at;
  }

  u8(): number {
    return this.buffer[this.take(1)] as number;
  }

  u32(): number {
    return this.buffer.readUInt32LE(this.take(4));
  }

  f64(): number {
    return this.buffer.readDoubleLE(this.take(8));
  }

  bool(): boolean {
    return this.u8() === 1;
  }

  str(): string {
    const length = this.buffer.readUInt16LE(this.take(2));
    const at = this.take(length);
    return this.buffer.toString('utf8', at, at + length);
  }

  nullableStr(): string | null {
    return this.u8() === 0 ? null : this.str();
  }
}
