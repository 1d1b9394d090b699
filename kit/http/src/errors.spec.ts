import { errorToHttp } from './errors';

describe('errorToHttp: a dependency that is down', () => {
  const errno = (code: string): Error => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

  it.each([
    ['a refused connection', errno('ECONNREFUSED')],
    ['a reset connection, as the cause of a driver error', new Error('query failed', { cause: errno('ECONNRESET') })],
    ['PostgreSQL shutting down (57P01) under a TypeORM error', Object.assign(new Error('terminating connection due to administrator command'), { driverError: { code: '57P01' } })],
    ['a lost PostgreSQL connection', new Error('Connection terminated unexpectedly')],
    ['no MongoDB server to select', Object.assign(new Error('Server selection timed out after 3000 ms'), { name: 'MongoServerSelectionError' })],
    ['Redis gone', new Error('Connection is closed.')],
  ])('answers 503 with Retry-After for %s', (_name, error) => {
    expect(errorToHttp(error)).toEqual({ status: 503, body: { message: expect.stringMatching(/unavailable/), code: 'UNAVAILABLE' }, headers: { 'retry-after': '1' } });
  });

  it('answers 500 for a bug, whatever it says', () => {
    expect(errorToHttp(new TypeError("Cannot read properties of undefined (reading 'id')")).status).toBe(500);
    expect(errorToHttp(Object.assign(new Error('duplicate key'), { code: '23505' })).status).toBe(500);
  });
});
