import { DEFAULT_SCRYPT, PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  it('hashes with the stated scrypt parameters by default: N=2^15, r=8, p=1, random salt', async () => {
    expect(DEFAULT_SCRYPT).toEqual({ cost: 32768, blockSize: 8, parallelization: 1 });
    const hasher = new PasswordHasher();
    const first = await hasher.hash('correct horse 1');
    const second = await hasher.hash('correct horse 1');
    expect(first).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(second).not.toBe(first);
    expect(await hasher.verify('correct horse 1', first)).toBe(true);
    expect(await hasher.verify('correct horse 2', first)).toBe(false);
  });

  const fast = new PasswordHasher({ cost: 1024, blockSize: 8, parallelization: 1 });

  it('verifies hashes made with other parameters, from the hash itself', async () => {
    const hash = await fast.hash('Password1');
    expect(hash.startsWith('$scrypt$ln=10,r=8,p=1$')).toBe(true);
    expect(await new PasswordHasher().verify('Password1', hash)).toBe(true);
  });

  it('treats canonically equivalent unicode passwords alike', async () => {
    const hash = await fast.hash('caf\u00e9-Secret');
    expect(await fast.verify('cafe\u0301-Secret', hash)).toBe(true);
  });

  it('refuses malformed, tampered and absurd hashes', async () => {
    const hash = await fast.hash('Password1');
    const tampered = hash.slice(0, -2) + (hash.endsWith('AA') ? 'BB' : 'AA');
    expect(await fast.verify('Password1', tampered)).toBe(false);
    expect(await fast.verify('Password1', 'plain-text')).toBe(false);
    expect(await fast.verify('Password1', hash.replace('ln=10', 'ln=40'))).toBe(false);
    expect(await fast.verifyNothing('Password1')).toBe(false);
  });
});
