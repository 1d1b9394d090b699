import { type Command, parseCommand, USAGE, UsageError } from './args';
import { runBacktest } from './backtest/backtest';
import { formatResult } from './backtest/backtest-report';
import { replayProgress } from './backtest/replay-progress';
import { type Bot, printBalances, runMarketMaker, runTaker } from './bots/bots';
import { ExchangeClient } from './client';
import { runLoad } from './load/load-test';
import { formatTable, summaryLine } from './load/report';
import { currentMid, findProduct, marketSpec } from './market';
import { freshIdentity, readUsersFile, setUpUsers, writeUsersFile } from './setup';

const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function run(command: Command): Promise<void> {
  if (command.command === 'help') return log(USAGE);
  const client = new ExchangeClient(command.url);
  try {
    switch (command.command) {
      case 'setup': {
        const identity = freshIdentity();
        const users = await setUpUsers(
          client,
          {
            count: command.count,
            prefix: command.prefix ?? identity.prefix,
            password: command.password ?? identity.password,
            apiKeys: command.apiKeys,
            fund: command.fund,
            concurrency: command.concurrency,
          },
          (user, index) => log(`user ${index}: ${user.email}${user.api_key ? ` key ${user.api_key.key}` : ''}, funded ${JSON.stringify(user.funded)}`),
        );
        await writeUsersFile(command.out, { origin: command.url, users });
        return log(`${users.length} users written to ${command.out}`);
      }
      case 'market-maker':
      case 'taker': {
        const file = await readUsersFile(command.users);
        const bots: Bot[] = command.pick(file.users.length).map((index) => {
          const apiKey = file.users[index]!.api_key;
          if (!apiKey) throw new UsageError(`user ${index} in ${command.users} has no API key: run setup with --api-keys`);
          return { name: `${command.command === 'taker' ? 'taker' : 'maker'}${index}`, auth: { apiKey } };
        });
        const signal = stopSignal(command.durationMs);
        await Promise.all(
          bots.map((bot, i) =>
            command.command === 'taker'
              ? runTaker(client, bot, { ...command, seed: command.seed + i }, signal, log)
              : runMarketMaker(client, bot, { ...command, seed: command.seed + i }, signal, log),
          ),
        );
        return await printBalances(client, bots, log);
      }
      case 'load': {
        const file = await readUsersFile(command.users);
        const product = await findProduct(client, command.productId);
        const market = marketSpec(product, await currentMid(client, command.productId, command.mid), command.spreadSteps);
        const base = {
          origin: command.url,
          tokens: file.users.map((user) => user.access_token),
          market,
          mode: command.rate === undefined ? ({ kind: 'closed', concurrency: command.connections * command.pipelining } as const) : ({ kind: 'open', rate: command.rate } as const),
          connections: command.connections,
          pipelining: command.pipelining,
          transport: command.transport,
          progress: process.stderr,
        };
        const mix = { weights: command.weights, spreadSteps: command.spreadSteps, maxSizeMultiple: 10, maxOpenPerUser: command.maxOpenPerUser };
        if (command.warmupMs > 0) {
          process.stderr.write('warm-up\n');
          await runLoad({ ...base, mix: { ...mix, seed: command.seed + 1_000_003 }, durationMs: command.warmupMs });
        }
        const result = await runLoad({ ...base, mix: { ...mix, seed: command.seed }, durationMs: command.durationMs });
        log(formatTable(result));
        return log(summaryLine(result));
      }
      case 'backtest': {
        // Ctrl-C stops trading early; the orders are cancelled and the P&L so far printed.
        const { fund, window, bandBps, sizeMultiple, maxOrders, pollMs } = command;
        const options = { fund, window, bandBps, sizeMultiple, maxOrders, pollMs };
        const result = await runBacktest(client, options, stopSignal(undefined), replayProgress(process.stderr), log);
        return log(formatResult(result));
      }
    }
  } finally {
    await client.close();
  }
}

/** Aborted by Ctrl-C, SIGTERM or the end of `durationMs`. */
function stopSignal(durationMs: number | undefined): AbortSignal {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (durationMs !== undefined) setTimeout(stop, durationMs).unref();
  return controller.signal;
}

let command: Command;
try {
  command = parseCommand(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message}\n\n${USAGE}\n`);
  process.exit(2);
}
run(command).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
