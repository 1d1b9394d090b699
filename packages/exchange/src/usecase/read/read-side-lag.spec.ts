import { readSideLagCheck } from './read-side-lag';

describe('readSideLagCheck', () => {
  it('passes while the read side is within the bound, and names the lag past it', async () => {
    let engine: number | null = 1_500;
    let checkpoint = 1_000;
    const check = readSideLagCheck({ engineSequence: () => engine, checkpoint: async () => checkpoint, maxLag: 500 });
    expect(check.name).toBe('read-side');
    await expect(check.check()).resolves.toBeUndefined();
    checkpoint = 999;
    await expect(check.check()).rejects.toThrow('501 commands behind the engine, over READY_MAX_LAG 500');
    engine = null; // a history-only process: the store answering is what it can tell
    await expect(check.check()).resolves.toBeUndefined();
  });

  it('fails when the read side does not answer', async () => {
    const check = readSideLagCheck({ engineSequence: () => 0, checkpoint: () => Promise.reject(new Error('connect ECONNREFUSED')), maxLag: 10 });
    await expect(check.check()).rejects.toThrow('ECONNREFUSED');
  });
});
