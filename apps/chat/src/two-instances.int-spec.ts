import { randomBytes, randomUUID } from 'node:crypto';
import type { Application } from 'express';
import type { Container } from 'inversify';
import type { WebSocketServer } from 'ws';
import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { listen, type RunningServer } from '@sd/http/server';
import { serviceUrl } from '@sd/testing/services';
import type { ChatConfig } from './config';
import { createChatContainer, HttpApp, WebSockets } from './container';
import { ChatClient, newUser, testConfig } from './testing/chat-client';

/**
 * Two chat instances sharing PostgreSQL (users), Kafka (fan-out, a topic of this run's own)
 * and the message store (SQL, then MongoDB/FerretDB), each listening on its own port.
 */
describe.each(['sql', 'mongo'] as const)('two chat instances on Kafka and PostgreSQL, messages in %s', (storeKind) => {
  let schema: Awaited<ReturnType<typeof isolatedPostgresSchema>>;
  const containers: Container[] = [];
  const servers: RunningServer[] = [];
  const clients: ChatClient[] = [];
  let urlA: string;
  let urlB: string;

  beforeAll(async () => {
    schema = await isolatedPostgresSchema(serviceUrl('postgres'), 'chat_app_it');
    const shared: Partial<ChatConfig> = {
      sql: { kind: 'postgres', url: schema.url, poolSize: 4 },
      store: storeKind === 'sql' ? { kind: 'sql' } : { kind: 'mongo', url: `${serviceUrl('mongo').replace(/\/?$/, '/')}chat_app_it_${randomUUID().slice(0, 8)}` },
      keys: { kind: 'configured', tokenSigningKey: randomBytes(32), apiKeyEncryptionKey: randomBytes(32) },
    };
    const topicRun = randomUUID().slice(0, 8);
    for (let i = 0; i < 2; i++) {
      const config = testConfig({ ...shared, mq: { kind: 'kafka', brokers: serviceUrl('kafka').split(','), clientId: `chat-it-${i}` } });
      config.chat = { ...config.chat, topic: `chat.it.${topicRun}`, instanceId: `${topicRun}-${i}` };
      const container = await createChatContainer(config);
      containers.push(container);
      servers.push(await listen(container.get<Application>(HttpApp), { port: 0, webSockets: container.get<Record<string, WebSocketServer>>(WebSockets) }));
    }
    [urlA, urlB] = servers.map((server) => server.url) as [string, string];
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(servers.map((server) => server.close()));
    for (const container of containers) await container.unbindAllAsync();
    await schema?.drop();
  });

  const connect = async (url: string, token: string): Promise<ChatClient> => {
    const client = await ChatClient.connect(url, token);
    clients.push(client);
    return client;
  };

  it('delivers every channel message and DM exactly once to each member, whichever instance it is on', async () => {
    const [alice, bob, carol] = [await newUser(urlA), await newUser(urlB), await newUser(urlA)];
    const a = await connect(urlA, alice.token);
    const b = await connect(urlB, bob.token);
    const c1 = await connect(urlA, carol.token);
    const c2 = await connect(urlB, carol.token);
    for (const client of [a, b, c1, c2]) await client.ask({ type: 'join', channel: 'general' });

    const sent: string[] = [];
    for (let i = 0; i < 10; i++) sent.push((await (i % 2 ? b : a).ask({ type: 'message', channel: 'general', text: `m${i}` })).id as string);
    const dm = (await b.ask({ type: 'direct', to: alice.id, text: 'just us' })).id as string;

    for (const client of [a, b, c1, c2]) {
      for (let i = 0; i < 10; i++) await client.next((f) => f.type === 'message' && f.id === sent[i]);
    }
    await a.next((f) => f.id === dm);
    await b.next((f) => f.id === dm);
    // A last message through the same ordered topic: once it is in, nothing else is coming.
    const marker = (await a.ask({ type: 'message', channel: 'general', text: 'end' })).id;
    for (const client of [a, b, c1, c2]) await client.next((f) => f.id === marker);
    expect([a, b, c1, c2].map((client) => client.messages())).toEqual([[], [], [], []]);

    const history = await c2.ask({ type: 'history', channel: 'general', limit: 100 });
    expect((history.messages as Array<{ id: string }>).map((m) => m.id)).toEqual([marker, ...sent.reverse()]);
  });

  it('shows who is online on either instance', async () => {
    const [alice, bob] = [await newUser(urlA), await newUser(urlA)];
    const a = await connect(urlA, alice.token);
    const b = await connect(urlB, bob.token);
    await a.ask({ type: 'join', channel: 'random' });
    await b.ask({ type: 'join', channel: 'random' });
    for (let attempt = 0; ; attempt++) {
      const online = (await a.ask({ type: 'presence', channel: 'random' })).online as string[];
      if (online.includes(bob.id)) break;
      if (attempt > 50) throw new Error(`bob never showed up on instance A: ${JSON.stringify(online)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});
