import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters: memory is about 128 * cost * blockSize bytes per hash. */
export interface ScryptParameters {
  /** N, a power of two. */
  cost: number;
  /** r */
  blockSize: number;
  /** p */
  parallelization: number;
}

/**
 * N = 2^15, r = 8, p = 1: 32 MiB and roughly 50-100 ms per hash on one core, the OWASP
 * minimum for scrypt. Salt 16 random bytes, key 32 bytes.
 */
export const DEFAULT_SCRYPT: ScryptParameters = { cost: 2 ** 15, blockSize: 8, parallelization: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const ENCODED = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,64})\$([A-Za-z0-9+/]{16,128})$/;

/**
 * Memory-hard password hashing with node's scrypt, in the PHC string format
 * `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (unpadded base64). Each hash carries its parameters,
 * so raising them later still verifies old hashes.
 */
export class PasswordHasher {
  private readonly dummy: Promise<string>;

  constructor(private readonly parameters: ScryptParameters = DEFAULT_SCRYPT) {
    const log2 = Math.log2(parameters.cost);
    if (!Number.isInteger(log2) || log2 < 1 || log2 > 20) throw new Error('scrypt cost must be a power of two up to 2^20');
    // Log-ins for unknown emails verify against this, so they take as long as real ones.
    this.dummy = this.hash(randomBytes(18).toString('base64'));
    this.dummy.catch(() => undefined);
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, this.parameters);
    const { cost, blockSize, parallelization } = this.parameters;
    return `$scrypt$ln=${Math.log2(cost)},r=${blockSize},p=${parallelization}$${b64(salt)}$${b64(key)}`;
  }

  /** Constant-time check; false for a malformed or foreign hash. */
  async verify(password: string, encoded: string): Promise<boolean> {
    const match = ENCODED.exec(encoded);
    if (!match) return false;
    const [, ln, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
    const parameters = { cost: 2 ** Number(ln), blockSize: Number(r), parallelization: Number(p) };
    if (Number(ln) > 20 || parameters.blockSize < 1 || parameters.parallelization < 1) return false;
    const expected = Buffer.from(hash, 'base64');
    const actual = await derive(password, Buffer.from(salt, 'base64'), parameters, expected.length);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** Spends the time of a verification and answers false: for log-ins of unknown emails. */
  async verifyNothing(password: string): Promise<false> {
    await this.verify(password, await this.dummy);
    return false;
  }
}

function derive(password: string, salt: Buffer, parameters: ScryptParameters, length = KEY_BYTES): Promise<Buffer> {
  const { cost: N, blockSize: r, parallelization: p } = parameters;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

const b64 = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');
