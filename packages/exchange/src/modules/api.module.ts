import { randomUUID } from 'node:crypto';
import { ContainerModule } from 'inversify';
import { WebSocketServer } from 'ws';
import { Lifecycle } from '@sd/app/app-container';
import { authenticateWebSocket } from '@sd/http/websocket-auth';
import { Authenticator } from '@sd/domain/auth/authenticator';
import { CommandSubmitter } from '@sd/domain/exchange/command-submitter';
import { Logger } from '@sd/domain/logger';
import { CoinbasePush } from '../delivery/ws/coinbase-push';
import { PushServer, type PushServerOptions } from '../delivery/ws/push-server';
import { CandleTopic } from '../repository/mq/candle-topic';
import { EngineReader } from '../usecase/core/engine/engine-reader';
import { OrderViews } from '../usecase/core/order-view';
import { EventFormatter } from '../usecase/core/money/event-format';
import { AccountQueries } from '../usecase/read/account-queries';
import { HistoryQueries } from '../usecase/read/history/history-queries';
import { LedgerQueries } from '../usecase/read/ledger/ledger-queries';
import { MarketQueries } from '../usecase/read/market-queries';
import { QuotationQueries } from '../usecase/read/quotation/quotation-queries';
import { ReadYourWrites } from '../usecase/read/read-your-writes';
import { ExchangeGateway } from '../usecase/write/exchange-gateway';
import { FundsUseCase } from '../usecase/write/funds.usecase';
import { RequestParser } from '../usecase/write/request-parser';
import { MarketAdminUseCase } from '../usecase/write/market-admin.usecase';
import { TradingUseCase } from '../usecase/write/trading.usecase';

/** The WebSocket server of `/ws`, upgraded by the app's HTTP server. */
export const ExchangeWebSocket = Symbol.for('sd.exchange.ExchangeWebSocket');

/**
 * The API role: the trading, funds and market-admin use cases (commands to `CommandSubmitter`), the account and market
 * queries over this process's engine state (`EngineReader`) and the history, and push. Needs
 * an engine module (embedded leader, or replica) and an `Authenticator` bound.
 */
export function apiModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(ReadYourWrites)
      .toResolvedValue((reader: EngineReader, history: HistoryQueries) => new ReadYourWrites(reader, history), [EngineReader, HistoryQueries])
      .inSingletonScope();
    // The API reads the market where it reads balances and books: in the engine state it follows.
    bind(ExchangeGateway)
      .toResolvedValue((reader: EngineReader, submitter: CommandSubmitter) => new ExchangeGateway(new RequestParser(reader.engine.catalog), submitter), [EngineReader, CommandSubmitter])
      .inSingletonScope();
    bind(TradingUseCase)
      .toResolvedValue(
        (reader: EngineReader, gateway: ExchangeGateway, readYourWrites: ReadYourWrites) => new TradingUseCase(gateway, new OrderViews(reader.engine.catalog), readYourWrites),
        [EngineReader, ExchangeGateway, ReadYourWrites],
      )
      .inSingletonScope();
    bind(FundsUseCase)
      .toResolvedValue(
        (reader: EngineReader, gateway: ExchangeGateway, readYourWrites: ReadYourWrites) => new FundsUseCase(gateway, reader.engine.catalog, readYourWrites),
        [EngineReader, ExchangeGateway, ReadYourWrites],
      )
      .inSingletonScope();
    bind(MarketAdminUseCase)
      .toResolvedValue((gateway: ExchangeGateway, readYourWrites: ReadYourWrites) => new MarketAdminUseCase(gateway, readYourWrites), [ExchangeGateway, ReadYourWrites])
      .inSingletonScope();
    bind(AccountQueries)
      .toResolvedValue(
        (reader: EngineReader, history: HistoryQueries, ledger: LedgerQueries, readYourWrites: ReadYourWrites) =>
          new AccountQueries(reader, history, ledger, readYourWrites),
        [EngineReader, HistoryQueries, LedgerQueries, ReadYourWrites],
      )
      .inSingletonScope();
    bind(MarketQueries)
      .toResolvedValue((reader: EngineReader) => new MarketQueries(reader.engine.catalog, reader), [EngineReader])
      .inSingletonScope();
    bind<WebSocketServer>(ExchangeWebSocket).toConstantValue(new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 }));
    bind(PushServer)
      .toResolvedValue(
        (wss: WebSocketServer, reader: EngineReader, quotation: QuotationQueries, authenticator: Authenticator, candles: CandleTopic, logger: Logger, lifecycle: Lifecycle) => {
          const { catalog } = reader.engine;
          const formatter = new EventFormatter(catalog);
          const pushLogger = logger.child({ component: 'push' });
          const dialect = new CoinbasePush({ catalog, reader, formatter, stats: quotation, logger: pushLogger });
          return startPush({ wss, reader, formatter, authenticate: pushAuthentication(authenticator), dialect, logger: pushLogger }, candles, lifecycle);
        },
        [ExchangeWebSocket, EngineReader, QuotationQueries, Authenticator, CandleTopic, Logger, Lifecycle],
      )
      .inSingletonScope();
  });
}

/** A push server over `options`, closed with the container, forwarding what the read side stores (candles) from the candle topic. */
export async function startPush(options: PushServerOptions, candles: CandleTopic, lifecycle: Lifecycle): Promise<PushServer> {
  const push = new PushServer(options);
  lifecycle.onStop(async () => push.close());
  const subscription = await candles.subscribe(`candles.push.${randomUUID()}`, (changed) => push.publishCandles(changed), (error) =>
    options.logger.error({ err: error }, 'candle updates failed'),
  );
  lifecycle.onStop(() => subscription.close());
  return push;
}

/** A WebSocket client's credentials (a signed or token-carrying message, else the upgrade's bearer header or cookie), checked by `authenticator`. */
export function pushAuthentication(authenticator: Authenticator): PushServerOptions['authenticate'] {
  return (message, headers) => authenticateWebSocket(authenticator, { message, headers });
}
