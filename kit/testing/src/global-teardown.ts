export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __sdStopServices?: () => Promise<void> }).__sdStopServices?.();
}
