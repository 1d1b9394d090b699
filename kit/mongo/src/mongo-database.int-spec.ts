import { randomUUID } from 'node:crypto';
import { serviceUrl } from '@sd/testing/services';
import { mongoHealthCheck, openMongoDatabase } from './mongo-database';

describe('openMongoDatabase', () => {
  it('writes, indexes and pages documents on the real server', async () => {
    const mongo = await openMongoDatabase({ url: serviceUrl('mongo'), database: 'kit_mongo_test' });
    const collection = mongo.db.collection<{ _id: string; channel: string; seq: number }>(`notes_${randomUUID().slice(0, 8)}`);
    await collection.createIndex({ channel: 1, seq: -1 });
    await collection.insertMany(Array.from({ length: 30 }, (_, seq) => ({ _id: randomUUID(), channel: seq % 2 ? 'odd' : 'even', seq })));
    const page = await collection.find({ channel: 'even', seq: { $lt: 20 } }).sort({ seq: -1 }).limit(3).toArray();
    expect(page.map((doc) => doc.seq)).toEqual([18, 16, 14]);
    expect(await collection.countDocuments({ channel: 'odd' })).toBe(15);
    const build = await mongo.db.admin().command({ buildInfo: 1 });
    console.log(`[kit/mongo] talked to ${build.version}${build.ferretdbVersion ? ` (FerretDB ${build.ferretdbVersion})` : ''}`);
    await collection.drop();
    const health = mongoHealthCheck(mongo, 'notes');
    expect(health.name).toBe('mongodb:notes');
    await expect(health.check()).resolves.toBeUndefined();
    await mongo.close();
  });

  it('fails fast on an unreachable server', async () => {
    await expect(openMongoDatabase({ url: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500' })).rejects.toThrow();
  }, 20_000);
});
