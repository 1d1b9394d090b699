import { randomUUID } from 'node:crypto';
import { DomainError, isDomainError } from '@sd/domain/errors';
import type { ExchangeCommand } from '@sd/domain/exchange/command';
import type { CommandSubmitter } from '@sd/domain/exchange/command-submitter';
import type { CommandOutcome } from '@sd/domain/exchange/event';
import type { MessageQueue, Subscription } from '@sd/domain/mq';

/** API instances send commands to `requests`, where the engine leader's group takes them; the leader answers on `replies`, which every API instance reads for the answers addressed to it. */
export interface RequestTopics {
  requests: string;
  replies: string;
}

interface CommandRequest {
  requestId: string;
  replyTo: string;
  command: ExchangeCommand;
}

interface CommandReply {
  requestId: string;
  outcome?: CommandOutcome;
  /** The leader refused the command without applying it (its journal failed): the caller's 503. */
  refused?: { code: string; message: string; retryAfterSeconds?: number };
}

/**
 * The API side of distributed mode: a command goes to the leader over the message queue and
 * the caller waits for its outcome. Without an answer in time the caller gets 503: the
 * command may still be applied, so clients retry with the same client_oid, which the engine
 * refuses to apply twice.
 */
export class MessageQueueCommandSubmitter implements CommandSubmitter {
  private readonly waiting = new Map<string, { resolve: (outcome: CommandOutcome) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  private subscription: Subscription | null = null;

  constructor(
    private readonly mq: MessageQueue,
    private readonly instanceId: string,
    private readonly topics: RequestTopics,
    private readonly timeoutMs = 10_000,
  ) {}

  async start(): Promise<void> {
    this.subscription = await this.mq.subscribe({
      topic: this.topics.replies,
      groupId: `${this.topics.replies}.${this.instanceId}`,
      startFrom: 'latest',
      handler: async (batch) => {
        for (const message of batch.messages) {
          if (message.headers.to !== this.instanceId) continue;
          const reply = JSON.parse(message.value.toString()) as CommandReply;
          const waiter = this.waiting.get(reply.requestId);
          if (waiter === undefined) continue; // timed out already
          this.waiting.delete(reply.requestId);
          clearTimeout(waiter.timer);
          if (reply.refused === undefined) waiter.resolve(reply.outcome!);
          else {
            const { code, message, retryAfterSeconds } = reply.refused;
            waiter.reject(new DomainError(code, 'unavailable', message, retryAfterSeconds === undefined ? undefined : { details: { retryAfterSeconds } }));
          }
        }
        await batch.commit();
      },
    });
  }

  submit(command: ExchangeCommand): Promise<CommandOutcome> {
    const request: CommandRequest = { requestId: randomUUID(), replyTo: this.instanceId, command };
    return new Promise<CommandOutcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(request.requestId);
        reject(new DomainError('EXCHANGE.ENGINE_UNAVAILABLE', 'unavailable', 'the matching engine did not answer in time; retry with the same client_oid', { details: { retryAfterSeconds: 1 } }));
      }, this.timeoutMs);
      this.waiting.set(request.requestId, { resolve, reject, timer });
      this.mq.publish(this.topics.requests, [{ key: 'engine', value: Buffer.from(JSON.stringify(request)) }]).catch((error: unknown) => {
        clearTimeout(timer);
        this.waiting.delete(request.requestId);
        reject(new DomainError('EXCHANGE.ENGINE_UNAVAILABLE', 'unavailable', 'the command log is unreachable', { cause: error, details: { retryAfterSeconds: 1 } }));
      });
    });
  }

  async close(): Promise<void> {
    await this.subscription?.close();
    for (const [, waiter] of this.waiting) clearTimeout(waiter.timer);
    this.waiting.clear();
  }
}

/**
 * The leader side: takes requests in order and hands them to the sequencer (one group commit
 * per delivered batch), then answers each API instance. Only the member of the group that
 * owns the request partition gets batches, so the first batch is what makes a standby call
 * `becomeLeader` (memoized). Requests are committed before they are sequenced: a leader that
 * dies in between loses requests nobody was answered for (their callers get 503 and retry
 * with their client_oid), but a new leader never applies a request twice.
 */
export function serveCommandRequests(
  mq: MessageQueue,
  topics: RequestTopics,
  becomeLeader: () => Promise<CommandSubmitter>,
  onError: (error: unknown) => void,
): Promise<Subscription> {
  let leader: Promise<CommandSubmitter> | null = null;
  return mq.subscribe({
    topic: topics.requests,
    groupId: `${topics.requests}.engine`,
    startFrom: 'earliest',
    maxBatchSize: 1024,
    onError,
    // Whoever gets the partition next must take the lead afresh, fencing any other writer.
    onAssigned: (partitions) => {
      if (partitions.length === 0) leader = null;
    },
    handler: async (batch) => {
      leader ??= becomeLeader().catch((error: unknown) => {
        leader = null; // the batch comes again and the take-over is retried
        throw error;
      });
      const submitter = await leader;
      await batch.commit();
      const requests = batch.messages.map((message) => JSON.parse(message.value.toString()) as CommandRequest);
      const answers = await Promise.allSettled(requests.map((request) => submitter.submit(request.command)));
      // A leader fenced by a newer writer, or whose engine or output failed, stops: the next batch
      // makes this member take the lead again. A refusal ('unavailable': the journal is failing) is
      // not that; the leader goes on and its caller is told at once.
      if (answers.some((answer) => answer.status === 'rejected' && !isRefusal(answer.reason))) leader = null;
      const replies = requests.flatMap((request, i): Array<{ to: string; reply: CommandReply }> => {
        const answer = answers[i]!;
        const { requestId, replyTo: to } = request;
        if (answer.status === 'fulfilled') return [{ to, reply: { requestId, outcome: answer.value } }];
        if (!isRefusal(answer.reason)) return [];
        const { code, message, details } = answer.reason;
        const retryAfterSeconds = typeof details?.retryAfterSeconds === 'number' ? details.retryAfterSeconds : undefined;
        return [{ to, reply: { requestId, refused: { code, message, retryAfterSeconds } } }];
      });
      await mq.publish(
        topics.replies,
        replies.map(({ to, reply }) => ({ key: to, headers: { to }, value: Buffer.from(JSON.stringify(reply)) })),
      );
    },
  });
}

function isRefusal(error: unknown): error is DomainError {
  return isDomainError(error) && error.kind === 'unavailable';
}
