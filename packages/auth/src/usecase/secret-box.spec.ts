import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed, with a fresh IV each time, and keeps no plaintext', () => {
    const sealed = box.seal('the secret', 'row-1');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('the secret');
    expect(box.seal('the secret', 'row-1')).not.toBe(sealed);
    expect(box.open(sealed, 'row-1')).toBe('the secret');
  });

  it('refuses a tampered box, another row and another key', () => {
    const sealed = box.seal('the secret', 'row-1');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[2]!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => box.open([parts[0], parts[1], flipped.toString('base64url'), parts[3]].join('.'), 'row-1')).toThrow();
    expect(() => box.open(sealed, 'row-2')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'row-1')).toThrow();
    expect(() => new SecretBox(randomBytes(16))).toThrow('32-byte');
  });
});
