import { httpUrl, integer, oneOf, port, positiveInteger, required } from './env';

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
