import { DomainError } from '@sd/domain/errors';
import type { ExchangeRequest } from '@sd/domain/exchange/command';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import { REJECTIONS, type RejectedRequest, type Rejection } from '@sd/domain/exchange/rejection';
import type { CommandSubmitter } from '@sd/domain/exchange/command-submitter';
import type { RequestParser } from './request-parser';

/**
 * What the API calls: parses a request at the edge, then sequences it. Both kinds of
 * rejection come back as values with the same `rejection` field.
 */
export class ExchangeGateway {
  constructor(
    private readonly parser: RequestParser,
    private readonly submitter: CommandSubmitter,
  ) {}

  async execute(request: ExchangeRequest): Promise<CommandOutcome | RejectedRequest> {
    const parsed = this.parser.parse(request);
    if (parsed.command === null) return { sequence: null, orderId: null, rejection: parsed.rejection, events: [] };
    return this.submitter.submit(parsed.command);
  }
}

/** For callers that prefer to throw: `EXCHANGE.<CODE>` with the rejection's kind and message. */
export function rejectionError(rejection: Rejection): DomainError {
  return new DomainError(`EXCHANGE.${rejection.code}`, REJECTIONS[rejection.code].kind, rejection.message);
}
