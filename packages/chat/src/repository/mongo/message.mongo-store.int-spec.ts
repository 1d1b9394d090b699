import { randomUUID } from 'node:crypto';
import { openMongoDatabase, type MongoDatabase } from '@sd/mongo/mongo-database';
import { serviceUrl } from '@sd/testing/services';
import { describeMessageStoreContract } from '../../testing/message-store-contract';
import { MongoMessageStore } from './message.mongo-store';

// MongoDB wire protocol (FerretDB here), a database of this file's own; each `open` is its own client.
const database = `chat_store_it_${randomUUID().slice(0, 8)}`;
const opened: MongoDatabase[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});
afterAll(async () => {
  const db = await openMongoDatabase({ url: serviceUrl('mongo'), database });
  await db.db.dropDatabase();
  await db.close();
});

describeMessageStoreContract('MongoDB', async () => {
  const db = await openMongoDatabase({ url: serviceUrl('mongo'), database });
  opened.push(db);
  return MongoMessageStore.open(db.db);
});
