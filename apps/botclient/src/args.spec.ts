import { parseBenchArgs, parseCommand, parseDuration, parseFund, parseMix, parsePick, parseSoakArgs, UsageError } from './args';

describe('parseCommand', () => {
  it('fills defaults for each command', () => {
    expect(parseCommand(['setup'])).toMatchObject({
      command: 'setup',
      url: 'http://127.0.0.1:8080',
      count: 10,
      apiKeys: false,
      fund: { USDT: '1000000', BTC: '100', ETH: '1000' },
      out: 'botclient-users.json',
      concurrency: 4,
    });
    expect(parseCommand(['load'])).toMatchObject({ command: 'load', connections: 64, pipelining: 1, transport: 'raw', durationMs: 20_000, warmupMs: 0, spreadSteps: 50 });
    expect(parseCommand(['load'])).not.toHaveProperty('rate');
    expect(parseCommand(['taker'])).toMatchObject({ command: 'taker', productId: 'BTC-USDT', intervalMs: 500 });
    expect(parseCommand(['market-maker'])).not.toHaveProperty('durationMs');
    expect(parseCommand([])).toEqual({ command: 'help' });
    expect(parseCommand(['--help'])).toEqual({ command: 'help' });
  });

  it('reads the backtest flags', () => {
    expect(parseCommand(['backtest'])).toEqual({ command: 'backtest', url: 'http://127.0.0.1:8080', fund: { USDT: '100000', BTC: '1' }, window: 20, bandBps: 5, sizeMultiple: 10, maxOrders: 5, pollMs: 250 });
    expect(parseCommand(['backtest', '--url', 'http://127.0.0.1:9000', '--window', '50', '--band', '12', '--size-multiple', '2', '--max-orders', '3', '--poll', '1s', '--fund', 'USDT=500'])).toEqual({
      command: 'backtest',
      url: 'http://127.0.0.1:9000',
      fund: { USDT: '500' },
      window: 50,
      bandBps: 12,
      sizeMultiple: 2,
      maxOrders: 3,
      pollMs: 1000,
    });
    expect(() => parseCommand(['backtest', '--band', '0'])).toThrow(UsageError);
    expect(() => parseCommand(['backtest', '--product', 'BTC-USDT'])).toThrow(UsageError);
  });

  it('reads flags into typed options', () => {
    expect(parseCommand(['setup', '--count', '3', '--api-keys', '--fund', 'USDT=5.5', '--url', 'http://localhost:9000/'])).toMatchObject({
      count: 3,
      apiKeys: true,
      fund: { USDT: '5.5' },
      url: 'http://localhost:9000',
    });
    expect(
      parseCommand(['load', '--rate', '15000', '--connections', '32', '--pipelining', '4', '--duration', '2m', '--mix', '5,1,4', '--mid', '30000.5']),
    ).toMatchObject({ rate: 15_000, connections: 32, pipelining: 4, durationMs: 120_000, weights: { passive: 5, crossing: 1, cancel: 4 }, mid: '30000.5' });
    expect(parseCommand(['market-maker', '--levels', '2', '--refresh', '250ms', '--duration', '3', '--seed', '0'])).toMatchObject({
      levels: 2,
      refreshMs: 250,
      durationMs: 3000,
      seed: 0,
    });
  });

  it('refuses bad command lines with a message naming the flag', () => {
    const refuses = (argv: string[], message: string | RegExp) => {
      expect(() => parseCommand(argv)).toThrow(UsageError);
      expect(() => parseCommand(argv)).toThrow(message);
    };
    refuses(['trade'], 'unknown command trade');
    refuses(['load', '--bogus'], /bogus/);
    refuses(['load', 'extra'], /extra/);
    refuses(['setup', '--count', '0'], '--count must be a positive integer, not 0');
    refuses(['setup', '--count', '1e3'], '--count must be a positive integer');
    refuses(['load', '--transport', 'fetch'], '--transport must be one of raw, undici, http');
    refuses(['load', '--transport', 'http', '--pipelining', '2'], '--pipelining needs --transport raw or undici');
    refuses(['load', '--duration', '0'], '--duration must be a positive duration');
    refuses(['load', '--mid=-3'], '--mid must be a positive decimal');
    refuses(['load', '--mid', '-3'], "Option '--mid' argument is ambiguous");
    refuses(['load', '--mid', '0.00'], '--mid must be a positive decimal');
    refuses(['load', '--url', 'https://x.example'], '--url must be an http origin');
    refuses(['load', '--url', 'http://x.example/api'], '--url must be an http origin');
    refuses(['load', '--url', 'nope'], '--url must be an http URL');
    refuses(['demo'], /demo/);
  });
});

describe('flag values', () => {
  it('parses durations in ms, s, m and bare seconds', () => {
    expect(parseDuration('d', '500ms')).toBe(500);
    expect(parseDuration('d', '1.5s')).toBe(1500);
    expect(parseDuration('d', '2m')).toBe(120_000);
    expect(parseDuration('d', '20')).toBe(20_000);
    expect(parseDuration('d', '0', { allowZero: true })).toBe(0);
    for (const bad of ['', '1h', '-1s', 's', '1 s']) expect(() => parseDuration('d', bad)).toThrow(UsageError);
  });

  it('parses funding lists and refuses zero or malformed amounts', () => {
    expect(parseFund('USDT=1000000, BTC=0.5')).toEqual({ USDT: '1000000', BTC: '0.5' });
    for (const bad of ['USDT', 'USDT=0', 'usdt=1', 'USDT=1e6', 'USDT=-1']) expect(() => parseFund(bad)).toThrow(UsageError);
  });

  it('parses mix shares', () => {
    expect(parseMix('0.6,0.1,0.3')).toEqual({ passive: 0.6, crossing: 0.1, cancel: 0.3 });
    for (const bad of ['0.6,0.4', '0,0,0', 'a,b,c', '1,-1,1']) expect(() => parseMix(bad)).toThrow(UsageError);
  });

  it('picks users by index, list and range, checked against the users file', () => {
    expect(parsePick('0')(3)).toEqual([0]);
    expect(parsePick('2,0')(3)).toEqual([0, 2]);
    expect(parsePick('1-3')(5)).toEqual([1, 2, 3]);
    expect(parsePick('1-')(4)).toEqual([1, 2, 3]);
    expect(() => parsePick('1-')(1)).toThrow('beyond the 1');
    expect(() => parsePick('3')(3)).toThrow('beyond the 3');
    expect(() => parsePick('3-1')).toThrow('backwards');
    expect(() => parsePick('x')).toThrow(UsageError);
  });
});

describe('parseBenchArgs', () => {
  it('defaults to 15,000 orders/s for 20 s after a 5 s warm-up', () => {
    expect(parseBenchArgs([])).toEqual({
      rate: 15_000,
      durationMs: 20_000,
      warmupMs: 5_000,
      users: 10,
      connections: 64,
      pipelining: 1,
      transport: 'raw',
      productId: 'BTC-USDT',
      mid: '30000',
      baseline: false,
    });
    expect(parseBenchArgs(['--rate', '2000', '--warmup', '0', '--transport', 'http'])).toMatchObject({ rate: 2000, warmupMs: 0, transport: 'http' });
    expect(parseBenchArgs(['--baseline']).baseline).toBe(true);
    expect(() => parseBenchArgs(['--users', 'many'])).toThrow('--users must be a positive integer');
  });
});

describe('parseSoakArgs', () => {
  it('defaults to 300 orders/s for 180 s in 10 s windows; SOAK_SECONDS and --duration set the length', () => {
    expect(parseSoakArgs([])).toEqual({ rate: 300, durationMs: 180_000, windowMs: 10_000, users: 10, connections: 16, productId: 'BTC-USDT', mid: '30000' });
    expect(parseSoakArgs([], { SOAK_SECONDS: '60' }).durationMs).toBe(60_000);
    expect(parseSoakArgs(['--duration', '2m'], { SOAK_SECONDS: '60' }).durationMs).toBe(120_000);
    expect(() => parseSoakArgs(['--duration', '5s'])).toThrow('at least one --window');
  });
});
