import { parentPort, workerData } from 'node:worker_threads';
import { openHistoryDatabase } from '../history-database';
import { decodeOutcomes } from '../mq/outcome-topic';
import { ProductCatalog } from '../../usecase/core/catalog/product-catalog';
import { HistoryProjector } from '../../usecase/read/history/history-projector';
import { HoldProjector } from '../../usecase/read/ledger/hold-projector';
import { LedgerProjector } from '../../usecase/read/ledger/ledger-projector';
import { QuotationProjector } from '../../usecase/read/quotation/quotation-projector';
import { ReadSideProjector } from '../../usecase/read/read-side-projector';
import type { ReadSideApi, ReadSideWorkerData } from './read-side-protocol';
import { serveRpc } from './worker-rpc';

// Entry of the read-side worker thread (see WorkerReadSide): it owns the SQL database, so the
// queries and the projection run off the request thread.

if (parentPort === null) throw new Error('read-side-worker runs in a worker thread: start it through WorkerReadSide.open');
const port = parentPort;
serveRpc<ReadSideApi>(port, openReadSide(workerData as ReadSideWorkerData));

async function openReadSide({ sql, currencies, products }: ReadSideWorkerData): Promise<ReadSideApi> {
  const catalog = new ProductCatalog(currencies, products);
  const db = await openHistoryDatabase(sql);
  const { orders, candles, trades, ledger, holds } = db;
  const readSide = new ReadSideProjector(catalog, {
    quotation: new QuotationProjector(catalog, candles, trades),
    ledger: new LedgerProjector(catalog, ledger),
    holds: new HoldProjector(catalog, holds),
    history: new HistoryProjector(catalog, orders),
  });

  return {
    ready: async () => undefined,
    'orders.checkpoint': () => orders.checkpoint(),
    'orders.findOrders': (ids) => orders.findOrders(ids),
    'orders.commit': (expectedCheckpoint, changes) => orders.commit(expectedCheckpoint, changes),
    'orders.listOrders': (userId, query) => orders.listOrders(userId, query),
    'orders.getOrder': (userId, orderId) => orders.getOrder(userId, orderId),
    'orders.getOrderByClientOid': (userId, clientOid) => orders.getOrderByClientOid(userId, clientOid),
    'orders.listFills': (userId, query) => orders.listFills(userId, query),
    'candles.find': (keys) => candles.find(keys),
    'candles.save': (rows) => candles.save(rows),
    'candles.list': (productId, granularity, range) => candles.list(productId, granularity, range),
    'trades.insert': (rows) => trades.insert(rows),
    'trades.list': (productId, page) => trades.list(productId, page),
    'ledger.checkpoint': () => ledger.checkpoint(),
    'ledger.commit': (expectedCheckpoint, changes) => ledger.commit(expectedCheckpoint, changes),
    'ledger.listEntries': (userId, currency, page) => ledger.listEntries(userId, currency, page),
    'ledger.listTransfers': (userId, query) => ledger.listTransfers(userId, query),
    'holds.checkpoint': () => holds.checkpoint(),
    'holds.commit': (expectedCheckpoint, changes) => holds.commit(expectedCheckpoint, changes),
    'holds.findHolds': (orderIds) => holds.findHolds(orderIds),
    'holds.holdsOfProduct': (productId, side) => holds.holdsOfProduct(productId, side),
    'holds.listHolds': (userId, currency, page) => holds.listHolds(userId, currency, page),
    learnMarket: async (market) => market.products.forEach((product) => catalog.learn(product)),
    project: (outcomes) => db.batch(() => readSide.project(outcomes)),
    projectMessages: (values) => db.batch(() => readSide.project(decodeOutcomes(values))),
    close: () => db.close(),
  };
}
