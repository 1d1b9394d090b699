import { provideServices, serviceUrl } from './services';

describe('service fixtures', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('uses the URL from the environment without starting anything', async () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:63799';
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const stop = await provideServices(['redis']);
    expect(serviceUrl('redis')).toBe('redis://127.0.0.1:63799');
    expect(log).toHaveBeenCalledWith('[services] redis: redis://127.0.0.1:63799 (from REDIS_URL)');
    await stop();
    log.mockRestore();
  });

  it('never prints a password from a URL', async () => {
    process.env.DATABASE_URL = 'postgres://sd:topsecret@127.0.0.1:54329/sd';
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await provideServices(['postgres']);
    expect(log.mock.calls.flat().join(' ')).not.toContain('topsecret');
    log.mockRestore();
  });

  it('says which variable is missing when a test asks for a service', () => {
    delete process.env.KAFKA_BROKERS;
    expect(() => serviceUrl('kafka')).toThrow('KAFKA_BROKERS is not set');
  });
});
