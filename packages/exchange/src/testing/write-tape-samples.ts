import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sampleTapeFiles } from './tape-samples';

/** `pnpm --filter @sd/exchange samples:tapes`: writes the sample tapes into `samples/`. */
async function main(): Promise<void> {
  const directory = join(__dirname, '..', '..', 'samples');
  for (const [name, text] of Object.entries(sampleTapeFiles())) {
    await writeFile(join(directory, name), text);
    process.stdout.write(`${join(directory, name)}: ${Buffer.byteLength(text)} bytes\n`);
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
