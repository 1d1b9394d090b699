import type { Logger } from '@sd/domain/logger';

export interface RunningApp {
  logger: Logger;
  /** Stops serving and releases what the app opened. */
  close(): Promise<void>;
}

/**
 * An app's `main`: starts it, stops it once on SIGINT or SIGTERM and exits 0, or prints why
 * it could not start and exits 1.
 */
export function runMain(start: () => Promise<RunningApp>): void {
  start().then(
    (app) => {
      let stopping = false;
      const shutdown = async (signal: string): Promise<void> => {
        if (stopping) return;
        stopping = true;
        app.logger.info({ signal }, 'shutting down');
        await app.close();
        process.exit(0);
      };
      process.on('SIGINT', (signal) => void shutdown(signal));
      process.on('SIGTERM', (signal) => void shutdown(signal));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
