import { httpUrl, integer, metricsPort, oneOf, port, positiveInteger, required, trustProxy } from './env';

describe('environment readers', () => {
  it('read valid values', () => {
    expect(port('8080')).toBe(8080);
    expect(positiveInteger('LIMIT', '50')).toBe(50);
    expect(integer('N', '0', 0, 3)).toBe(0);
    expect(oneOf('MODE', 'b', ['a', 'b'] as const)).toBe('b');
    expect(required({ URL: 'x' }, 'URL', 'MODE=b')).toBe('x');
    expect(httpUrl('ENDPOINT', 'http://jaeger:4318')).toBe('http://jaeger:4318');
  });

  it('refuse bad values with a message naming the variable', () => {
    expect(() => port('65536')).toThrow('PORT must be an integer in 0..65535, not 65536');
    expect(() => port('80', 'ADMIN_PORT')).not.toThrow();
    expect(() => port('', 'ADMIN_PORT')).toThrow(/^ADMIN_PORT/);
    for (const bad of ['0', '-1', '1.5', '1e3x', 'ten', ' ']) expect(() => positiveInteger('LIMIT', bad)).toThrow(/^LIMIT must be/);
    expect(() => integer('N', '4', 0, 3)).toThrow('N must be an integer in 0..3, not 4');
    expect(() => oneOf('MODE', 'c', ['a', 'b'] as const)).toThrow('MODE must be one of a, b, not c');
    expect(() => required({}, 'URL', 'MODE=b')).toThrow('URL is required with MODE=b');
    for (const bad of ['jaeger:4318', 'ftp://jaeger', '']) expect(() => httpUrl('ENDPOINT', bad)).toThrow(/^ENDPOINT must be an http/);
  });
});

describe('METRICS_PORT', () => {
  it('defaults to the API port + 1000, or any free port when the API port is 0', () => {
    expect(metricsPort({}, 8080)).toBe(9080);
    expect(metricsPort({}, 0)).toBe(0);
    expect(metricsPort({ METRICS_PORT: '9464' }, 8080)).toBe(9464);
    expect(metricsPort({ METRICS_PORT: '0' }, 0)).toBe(0);
  });

  it('refuses the API port itself, and a default past the last port', () => {
    expect(() => metricsPort({ METRICS_PORT: '8080' }, 8080)).toThrow('METRICS_PORT must differ from PORT (8080)');
    expect(() => metricsPort({}, 65000)).toThrow(/^METRICS_PORT \(default: PORT \+ 1000\) must be an integer/);
  });
});

describe('TRUST_PROXY', () => {
  it("reads express's trust-proxy syntax, loopback by default", () => {
    expect(trustProxy({})).toEqual(['loopback']);
    expect(trustProxy({ TRUST_PROXY: 'true' })).toBe(true);
    expect(trustProxy({ TRUST_PROXY: 'false' })).toBe(false);
    expect(trustProxy({ TRUST_PROXY: '2' })).toBe(2);
    expect(trustProxy({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' })).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
  });

  it('refuses what express would not understand, naming the variable', () => {
    for (const bad of ['10.0.0.0/99', 'load-balancer', 'loopback,,10.0.0.1']) expect(() => trustProxy({ TRUST_PROXY: bad })).toThrow(/^TRUST_PROXY must be/);
  });
});
