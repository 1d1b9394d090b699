import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture(): { stream: Writable; text: () => string; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const text = (): string => chunks.join('');
  return { stream, text, lines: () => text().trim().split('\n').map((line) => JSON.parse(line)) };
}

describe('createLogger', () => {
  it('writes structured lines with the bound fields of a child', () => {
    const out = capture();
    const logger = createLogger({ name: 'test', destination: out.stream }).child({ requestId: 'r-1' });
    logger.info({ orderId: '42' }, 'order placed');
    expect(out.lines()).toEqual([expect.objectContaining({ name: 'test', requestId: 'r-1', orderId: '42', msg: 'order placed' })]);
  });

  it('never writes passwords, tokens or signing secrets', () => {
    const out = capture();
    const logger = createLogger({ name: 'test', destination: out.stream });
    logger.warn({ password: 'hunter2', user: { access_token: 'tok-1' }, req: { headers: { authorization: 'Bearer abc' } } }, 'x');
    const text = JSON.stringify(out.lines());
    for (const secret of ['hunter2', 'tok-1', 'Bearer abc']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('drops lines below its level', () => {
    const out = capture();
    const logger = createLogger({ name: 'test', level: 'warn', destination: out.stream });
    logger.info({}, 'chatter');
    logger.warn({}, 'alarm');
    expect(out.lines().map((line) => line.msg)).toEqual(['alarm']);
  });
});
