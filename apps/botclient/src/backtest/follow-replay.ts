import { pause } from '../bots/bots';
import { ApiError, type Credentials, type ExchangeClient, type ReplayJson } from '../client';

/** The replay the exchange holds; a clear error when it runs none or has no sandbox. */
export async function currentReplay(client: ExchangeClient): Promise<ReplayJson> {
  let replay: ReplayJson | null;
  try {
    replay = (await client.sandbox()).replay;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) throw new Error(`${client.origin} has no sandbox (GET /api/sandbox answers 404): an exchange without replay`);
    throw error;
  }
  if (replay === null) throw new Error(`${client.origin} runs no replay: start it with REPLAY_FILE=<tape> REPLAY_START=wait`);
  return replay;
}

/**
 * Starts the held replay (as `auth`) and polls it every `pollMs` until it is done, calling
 * `each` with every status seen (the last one `done`); returns early if `signal` aborts.
 * A replay already running is joined; one done or failed cannot run again.
 */
export async function followReplay(
  client: ExchangeClient,
  auth: Credentials,
  options: { pollMs: number; signal: AbortSignal },
  each: (replay: ReplayJson) => Promise<void>,
): Promise<ReplayJson> {
  const first = await currentReplay(client);
  if (first.state === 'done' || first.state === 'failed') {
    throw new Error(`the replay of ${first.file} is already ${first.state}: start the exchange again with a fresh DATA_DIR`);
  }
  if (first.state === 'waiting') await client.startReplay(auth);
  for (;;) {
    const replay = await currentReplay(client);
    if (replay.state === 'failed') throw new Error(`the replay of ${replay.file} failed: ${replay.error ?? 'no reason given'}`);
    await each(replay);
    if (replay.state === 'done' || options.signal.aborted) return replay;
    await pause(options.pollMs, options.signal);
  }
}
