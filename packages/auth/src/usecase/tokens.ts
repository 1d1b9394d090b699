import { createHash, randomBytes } from 'node:crypto';

/** A random opaque token: `<prefix>_<43 base64url chars>` (256 bits). */
export const randomToken = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`;

/** Stored form of a high-entropy secret (refresh tokens, passphrases): hex SHA-256. A slow hash adds nothing at 128+ bits. */
export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');
