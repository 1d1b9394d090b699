import type { HealthCheck } from '@sd/domain/health';

/**
 * `read-side`: the history store answers its checkpoint, and that checkpoint is at most
 * `maxLag` commands behind the engine state this process holds (leader, standby or replica).
 * A process with no engine state (history alone) checks only that the store answers.
 */
export function readSideLagCheck(options: { engineSequence: () => number | null; checkpoint: () => Promise<number>; maxLag: number }): HealthCheck {
  return {
    name: 'read-side',
    check: async () => {
      const checkpoint = await options.checkpoint();
      const engine = options.engineSequence();
      if (engine !== null && engine - checkpoint > options.maxLag) {
        throw new Error(`${engine - checkpoint} commands behind the engine, over READY_MAX_LAG ${options.maxLag}`);
      }
    },
  };
}
