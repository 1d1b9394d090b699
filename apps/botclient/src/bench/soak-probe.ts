/**
 * Preloaded into the exchange by `pnpm soak` (`node -r soak-probe.js`): answers 'memory' on the
 * IPC channel with the V8 heap in use, which /proc cannot show. The channel is unref'd so it
 * never keeps the exchange alive on shutdown.
 */
process.on('message', (message) => {
  if (message === 'memory') process.send?.({ heapUsed: process.memoryUsage().heapUsed });
});
process.channel?.unref();
export {};
