import { ContainerModule } from 'inversify';
import { WebSocketServer } from 'ws';
import { Lifecycle } from '@sd/app/app-container';
import { Authenticator } from '@sd/domain/auth/authenticator';
import { Logger } from '@sd/domain/logger';
import { GitbitexPush, withCookieFallback } from '../delivery/gitbitex/gitbitex-push';
import { CandleTopic } from '../repository/mq/candle-topic';
import { EngineReader } from '../usecase/core/engine/engine-reader';
import { EventFormatter } from '../usecase/core/money/event-format';
import { OrderViews } from '../usecase/core/order-view';
import { QuotationQueries } from '../usecase/read/quotation/quotation-queries';
import { pushAuthentication, startPush } from './api.module';

/** The WebSocket server of gitbitex-web's `/ws`, upgraded by the app's HTTP server. */
export const GitbitexWebSocket = Symbol.for('sd.exchange.GitbitexWebSocket');
/** The push server speaking gitbitex-web's protocol (`GitbitexPush`) on `GitbitexWebSocket`. */
export const GitbitexPushServer = Symbol.for('sd.exchange.GitbitexPushServer');

/**
 * gitbitex-web's WebSocket, beside the API role (`apiModule`): the same push mechanics, fed
 * by the same engine state and candle topic, in gitbitex's dialect.
 */
export function gitbitexPushModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<WebSocketServer>(GitbitexWebSocket).toConstantValue(new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 }));
    bind(GitbitexPushServer)
      .toResolvedValue(
        (wss: WebSocketServer, reader: EngineReader, quotation: QuotationQueries, authenticator: Authenticator, candles: CandleTopic, logger: Logger, lifecycle: Lifecycle) => {
          const { catalog } = reader.engine;
          const formatter = new EventFormatter(catalog);
          const pushLogger = logger.child({ component: 'gitbitex-push' });
          const dialect = new GitbitexPush({ catalog, reader, formatter, views: new OrderViews(catalog), stats24h: (productId) => quotation.stats24h(productId), logger: pushLogger });
          return startPush({ wss, reader, formatter, dialect, authenticate: withCookieFallback(pushAuthentication(authenticator)), logger: pushLogger }, candles, lifecycle);
        },
        [GitbitexWebSocket, EngineReader, QuotationQueries, Authenticator, CandleTopic, Logger, Lifecycle],
      )
      .inSingletonScope();
  });
}
