import { DomainError } from '@sd/domain/errors';

/** Where in a recording a row is: the file and its 1-based line. */
export interface TapeLocation {
  file: string;
  line: number;
}

const at = (where: TapeLocation): string => `${where.file}:${where.line}`;

/** A row that is not what the format says: the user's file must change. */
export const malformedTape = (where: TapeLocation, why: string): DomainError =>
  new DomainError('EXCHANGE.TAPE_MALFORMED', 'invalid', `${at(where)}: ${why}`, { details: { ...where } });

/** A row earlier than the one before it: a replay only runs forward. */
export const tapeOutOfOrder = (where: TapeLocation, time: number, previous: number): DomainError =>
  new DomainError(
    'EXCHANGE.TAPE_OUT_OF_ORDER',
    'invalid',
    `${at(where)}: goes back in time (${new Date(time).toISOString()} after ${new Date(previous).toISOString()})`,
    { details: { ...where, time, previous } },
  );

export const unknownTapeFormat = (file: string, why: string): DomainError =>
  new DomainError('EXCHANGE.TAPE_UNKNOWN_FORMAT', 'invalid', `${file}: ${why}`, { details: { file } });
