import { Type } from '@sinclair/typebox';
import { defineRoute, type ApiRoute } from '@sd/http/api-route';
import { Nullable, StringEnum } from '@sd/http/schema-types';
import type { ReplayStatus } from '../../usecase/sandbox/market-replay';
import type { Sandbox } from '../../usecase/sandbox/sandbox';
import { isoTime } from './api-format';
import type { Authorize } from './exchange.routes';

const tags = ['sandbox'];
const ISO = Type.String({ format: 'date-time' });

const Replay = Type.Object({
  product_id: Type.String({ examples: ['BTC-USDT'] }),
  file: Type.String({ description: "the tape's file name" }),
  format: Nullable(StringEnum(['binance-aggtrades', 'binance-klines', 'coinbase-trades'] as const)),
  state: StringEnum(['waiting', 'running', 'done', 'failed'] as const),
  speed: Type.String({ description: 'tape seconds per second, or max', examples: ['max', '60'] }),
  trades_replayed: Type.Integer(),
  trades_snapped: Type.Integer({ description: "tape trades whose price or size was rounded to the product's increments" }),
  bytes_read: Type.Integer(),
  bytes_total: Type.Integer(),
  tape_time: Nullable(ISO),
  error: Nullable(Type.String()),
});

const SandboxStatus = Type.Object({
  demo_market: StringEnum(['on', 'off'] as const),
  clock: ISO,
  replay: Nullable(Replay),
});

function replayJson(replay: ReplayStatus) {
  return {
    product_id: replay.productId,
    file: replay.file,
    format: replay.format,
    state: replay.state,
    speed: String(replay.speed),
    trades_replayed: replay.tradesReplayed,
    trades_snapped: replay.tradesSnapped,
    bytes_read: replay.bytesRead,
    bytes_total: replay.bytesTotal,
    tape_time: replay.tapeTime === null ? null : isoTime(replay.tapeTime),
    error: replay.error,
  };
}

/** The sandbox's state for tools (a backtest polls it), and the start of a replay that waits for one. */
export function sandboxRoutes({ sandbox, signedIn }: { sandbox: Sandbox; signedIn: Authorize }): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/sandbox',
      summary: "The sandbox: the demo market, the exchange's clock and the market replay's progress",
      tags,
      security: 'public',
      schema: { response: SandboxStatus },
      handle: () => {
        const { demoMarket, clock, replay } = sandbox.status();
        return { demo_market: demoMarket, clock: isoTime(clock), replay: replay === null ? null : replayJson(replay) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/sandbox/replay/start',
      summary: 'Start the market replay that waits for it (REPLAY_START=wait); 409 when there is none or it started',
      tags,
      security: 'signed-in',
      schema: { response: Replay },
      handle: async (request, reply) => {
        await signedIn(request, reply.headers);
        return replayJson(sandbox.startReplay());
      },
    }),
  ];
}
