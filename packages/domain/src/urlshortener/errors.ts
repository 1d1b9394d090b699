import { DomainError } from '../errors';

/** Every error the URL shortener throws on purpose. */
export const linkErrors = {
  invalidTarget: (reason: string): DomainError => new DomainError('LINK.INVALID_TARGET', 'invalid', `url ${reason}`),
  invalidAlias: (): DomainError =>
    new DomainError('LINK.INVALID_ALIAS', 'invalid', 'alias must be 3 to 64 letters, digits, "-" or "_", and not a reserved word'),
  invalidExpiry: (): DomainError => new DomainError('LINK.INVALID_EXPIRY', 'invalid', 'expires_at must be an ISO 8601 time in the future'),
  aliasTaken: (alias: string): DomainError => new DomainError('LINK.ALIAS_TAKEN', 'conflict', `alias ${alias} is taken`),
  notFound: (): DomainError => new DomainError('LINK.NOT_FOUND', 'not_found', 'no such link'),
  expired: (): DomainError => new DomainError('LINK.EXPIRED', 'gone', 'this link has expired'),
};
