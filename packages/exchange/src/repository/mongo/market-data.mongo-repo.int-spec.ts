import { randomUUID } from 'node:crypto';
import { openMongoDatabase, type MongoDatabase } from '@sd/mongo/mongo-database';
import { serviceUrl } from '@sd/testing/services';
import { describeMarketDataContract } from '../../testing/market-data-contract';
import { MongoCandleStore, MongoTradeStore } from './market-data.mongo-repo';

// Fresh collections per test in a database of this file's own, dropped at the end.
let mongo: MongoDatabase;
beforeAll(async () => (mongo = await openMongoDatabase({ url: serviceUrl('mongo'), database: `exchange_it_${randomUUID().slice(0, 8)}` })));
afterAll(async () => {
  await mongo.db.dropDatabase();
  await mongo.close();
});

describeMarketDataContract('MongoDB / FerretDB', async () => {
  const suffix = randomUUID().slice(0, 8);
  return {
    candles: await MongoCandleStore.open(mongo.db, `candles_${suffix}`),
    trades: await MongoTradeStore.open(mongo.db, `trades_${suffix}`),
  };
});
