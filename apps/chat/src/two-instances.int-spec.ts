import { randomUUID } from 'node:crypto';
import { serveApp, type RunningApp } from '@sd/app/app-container';
import { serveTestUserApp } from '@sd/app-user/testing';
import { AuthClient, type TestUser } from '@sd/auth/testing';
import { isolatedPostgresSchema } from '@sd/orm/testing/postgres-schema';
import { serviceUrl } from '@sd/testing/services';
import { createChatContainer } from './container';
import { ChatClient, testConfig, type Frame } from './testing/chat-client';

/**
 * Two chat instances sharing PostgreSQL (relationships, read markers), Kafka (fan-out and
 * presence, a topic of this run's own) and the message store (SQL, then MongoDB/FerretDB),
 * each on its own port, authenticating against a user app on PostgreSQL (AUTH=remote), as
 * compose runs them.
 */
describe.each(['sql', 'mongo'] as const)('two chat instances on Kafka and PostgreSQL, messages in %s', (storeKind) => {
  const schemas: Array<Awaited<ReturnType<typeof isolatedPostgresSchema>>> = [];
  let userApp: RunningApp;
  const instances: RunningApp[] = [];
  const clients: ChatClient[] = [];
  let urlA: string;
  let urlB: string;

  beforeAll(async () => {
    for (const prefix of ['chat_app_it', 'chat_users_it']) schemas.push(await isolatedPostgresSchema(serviceUrl('postgres'), prefix));
    userApp = await serveTestUserApp({ sql: { kind: 'postgres', url: schemas[1]!.url, poolSize: 2 } });
    const run = randomUUID().slice(0, 8);
    for (let i = 0; i < 2; i++) {
      const config = testConfig({
        sql: { kind: 'postgres', url: schemas[0]!.url, poolSize: 4 },
        store: storeKind === 'sql' ? { kind: 'sql' } : { kind: 'mongo', url: `${serviceUrl('mongo').replace(/\/?$/, '/')}chat_app_it_${run}` },
        auth: { kind: 'remote', url: userApp.url, timeoutMs: 2_000, cacheTtlMs: 5_000 },
        mq: { kind: 'kafka', brokers: serviceUrl('kafka').split(','), clientId: `chat-it-${run}-${i}` },
        chat: { topic: `chat.it.${run}`, instanceId: `${run}-${i}` },
      });
      instances.push(await serveApp(await createChatContainer(config), { port: 0 })); // the first runs the migrations
    }
    [urlA, urlB] = instances.map((instance) => instance.url) as [string, string];
  }, 90_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const app of [...instances, userApp]) await app?.close();
    for (const schema of schemas) await schema.drop();
  });

  const newUser = (): Promise<TestUser> => new AuthClient(userApp.url).newUser();
  const connect = async (url: string, user: TestUser): Promise<ChatClient> => {
    const client = await ChatClient.connect(url, user.accessToken);
    clients.push(client);
    return client;
  };
  /** Asks until `check` passes: what another instance publishes arrives through Kafka. */
  const eventually = async (ask: () => Promise<Frame>, check: (frame: Frame) => boolean): Promise<Frame> => {
    for (let attempt = 0; ; attempt++) {
      const frame = await ask();
      if (check(frame)) return frame;
      if (attempt > 100) throw new Error(`never true: ${JSON.stringify(frame)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const friendsAcross = async (): Promise<[TestUser, ChatClient, TestUser, ChatClient]> => {
    const [ann, bob] = [await newUser(), await newUser()];
    const a = await connect(urlA, ann);
    const b = await connect(urlB, bob);
    expect(await a.ask({ type: 'friend_request', user_id: bob.id })).toMatchObject({ status: 'outgoing' });
    expect(await b.next((f) => f.type === 'friend')).toEqual({ type: 'friend', user_id: ann.id, status: 'incoming' });
    await b.ask({ type: 'friend_accept', user_id: ann.id });
    expect(await a.next((f) => f.type === 'friend' && f.status === 'friend')).toEqual({ type: 'friend', user_id: bob.id, status: 'friend', online: true });
    return [ann, a, bob, b];
  };

  it('makes friends across instances, and pushes a friend offline when their last socket closes on the other instance', async () => {
    const [ann, a, bob, b] = await friendsAcross();
    const bobOnA = await connect(urlA, bob);
    bobOnA.close();
    await eventually(() => a.ask({ type: 'friends' }), () => true);
    expect(a.frames.filter((f) => f.type === 'presence')).toEqual([]); // bob is still on B
    b.close();
    expect(await a.next((f) => f.type === 'presence', 10_000)).toEqual({ type: 'presence', user_id: bob.id, online: false });
    const back = await connect(urlB, bob);
    expect(await a.next((f) => f.type === 'presence', 10_000)).toEqual({ type: 'presence', user_id: bob.id, online: true });
    expect((await back.ask({ type: 'friends' })).friends).toEqual([{ user_id: ann.id, status: 'friend', online: true }]);
  });

  it('joins a channel created on the other instance, and delivers its messages to members on both once', async () => {
    const [ann, bob, cid] = [await newUser(), await newUser(), await newUser()];
    const a = await connect(urlA, ann);
    const b = await connect(urlB, bob);
    const c = await connect(urlB, cid);
    const channel = ((await a.ask({ type: 'create_channel', name: 'across' })).channel as { id: string }).id;
    expect(await b.ask({ type: 'join', channel })).toMatchObject({ type: 'channel', channel: { id: channel, name: 'across', owner_id: ann.id }, member: true });
    expect(await a.next((f) => f.type === 'member', 10_000)).toEqual({ type: 'member', channel, user_id: bob.id, joined: true, online: true });
    const sent: string[] = [];
    for (let i = 0; i < 6; i++) sent.push((await (i % 2 ? b : a).ask({ type: 'message', channel, text: `m${i}` })).id as string);
    for (const client of [a, b]) for (const id of sent) await client.next((f) => f.type === 'message' && f.id === id, 10_000);
    const marker = (await b.ask({ type: 'message', channel, text: 'end' })).id;
    for (const client of [a, b]) await client.next((f) => f.id === marker, 10_000);
    await c.ask({ type: 'channels' });
    expect([a, b, c].map((client) => client.messages())).toEqual([[], [], []]);
  });

  it('counts unread right after a read on the other instance, and pages the combined history to its end', async () => {
    const [ann, a, bob, b] = await friendsAcross();
    const bobOnA = await connect(urlA, bob);
    const channel = ((await a.ask({ type: 'create_channel', name: 'reading' })).channel as { id: string }).id;
    await b.ask({ type: 'join', channel });
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) ids.push((await a.ask(i % 3 ? { type: 'message', channel, text: `c${i}` } : { type: 'direct', to: bob.id, text: `d${i}` })).id as string);
    expect(await bobOnA.ask({ type: 'unread' })).toMatchObject({ channels: { [channel]: 6 }, direct: { [ann.id]: 3 } });

    expect(await b.ask({ type: 'read', channel, up_to: ids[4] })).toMatchObject({ channels: { [channel]: 3 } });
    expect(await bobOnA.ask({ type: 'unread' })).toMatchObject({ channels: { [channel]: 3 }, direct: { [ann.id]: 3 } });
    await b.ask({ type: 'read', with: ann.id });
    expect(await bobOnA.ask({ type: 'unread' })).toMatchObject({ channels: { [channel]: 3 }, direct: { [ann.id]: 0 } });

    const seen: string[] = [];
    let before: unknown;
    for (;;) {
      const page = await bobOnA.ask({ type: 'history', limit: 4, ...(before !== undefined && { before }) });
      seen.push(...(page.messages as Array<{ id: string }>).map((m) => m.id));
      if (page.next_before === null) break;
      before = page.next_before;
    }
    expect(seen).toEqual([...ids].reverse());
  });
});
