import { QueryFailedError } from 'typeorm';

/** PostgreSQL 23505, or SQLite's UNIQUE constraint failure (sql.js reports only the message). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; message?: string } | undefined;
  return driverError?.code === '23505' || /UNIQUE constraint failed/i.test(driverError?.message ?? error.message);
}
