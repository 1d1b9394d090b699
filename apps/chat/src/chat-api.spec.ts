import request from 'supertest';
import { serveApp, type RunningApp } from '@sd/app/app-container';
import { serveTestUserApp } from '@sd/app-user/testing';
import { AuthClient, type TestUser } from '@sd/auth/testing';
import { createChatContainer } from './container';
import { ChatClient, testConfig, type Frame } from './testing/chat-client';

/**
 * The chat app built as main builds it, on its embedded default (sql.js, memory MQ and cache),
 * with the auth domain embedded, then asking a running user app (AUTH=remote).
 */
describe.each(['embedded', 'remote'] as const)('chat app (auth %s)', (auth) => {
  let userApp: RunningApp | undefined;
  let chat: RunningApp;
  let url: string;
  const clients: ChatClient[] = [];

  const start = async (overrides: Parameters<typeof testConfig>[0] = {}): Promise<void> => {
    const remote = userApp && { auth: { kind: 'remote' as const, url: userApp.url, timeoutMs: 2_000, cacheTtlMs: 5_000 } };
    chat = await serveApp(await createChatContainer(testConfig({ ...remote, ...overrides })), { port: 0 });
    url = chat.url;
  };
  const newUser = (): Promise<TestUser> => new AuthClient(userApp?.url ?? url).newUser();
  const connect = async (user?: TestUser): Promise<ChatClient> => {
    const client = await ChatClient.connect(url, user?.accessToken);
    clients.push(client);
    return client;
  };
  /** Two users who are friends, each connected once. */
  const friends = async (): Promise<[TestUser, ChatClient, TestUser, ChatClient]> => {
    const [ann, bob] = [await newUser(), await newUser()];
    const [a, b] = [await connect(ann), await connect(bob)];
    await a.ask({ type: 'friend_request', user_id: bob.id });
    await b.ask({ type: 'friend_accept', user_id: ann.id });
    await a.next((f) => f.type === 'friend' && f.status === 'friend');
    return [ann, a, bob, b];
  };
  /** A round trip: anything pushed before it has arrived. */
  const settle = (client: ChatClient): Promise<Frame> => client.ask({ type: 'channels' });

  beforeAll(async () => {
    if (auth === 'remote') userApp = await serveTestUserApp();
  });
  afterAll(() => userApp?.close());
  beforeEach(() => start());
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await chat.close();
  });

  it('sends a request to the addressee, makes friends on acceptance, and tells both', async () => {
    const [ann, bob, cid] = [await newUser(), await newUser(), await newUser()];
    const [a, b] = [await connect(ann), await connect(bob)];
    expect(await a.ask({ type: 'friend_request', user_id: bob.id })).toMatchObject({ type: 'friend', user_id: bob.id, status: 'outgoing' });
    expect(await b.next((f) => f.type === 'friend')).toEqual({ type: 'friend', user_id: ann.id, status: 'incoming' });
    expect(await a.ask({ type: 'friend_request', user_id: cid.id })).toMatchObject({ type: 'error', code: 'CHAT.UNKNOWN_USER' }); // never connected
    expect(await a.ask({ type: 'friend_request', user_id: ann.id })).toMatchObject({ type: 'error', code: 'CHAT.SELF_FRIENDSHIP' });
    expect(await a.ask({ type: 'friend_accept', user_id: bob.id })).toMatchObject({ type: 'error', code: 'CHAT.NO_FRIEND_REQUEST' });

    expect(await b.ask({ type: 'friend_accept', user_id: ann.id })).toMatchObject({ type: 'friend', user_id: ann.id, status: 'friend' });
    expect(await a.next((f) => f.type === 'friend' && f.status === 'friend')).toEqual({ type: 'friend', user_id: bob.id, status: 'friend', online: true });
    expect((await a.ask({ type: 'friends' })).friends).toEqual([{ user_id: bob.id, status: 'friend', online: true }]);
    expect(await b.ask({ type: 'friend_request', user_id: ann.id })).toMatchObject({ type: 'error', code: 'CHAT.ALREADY_FRIENDS' });

    // A reconnection gets the friend list with each friend's state.
    const again = await ChatClient.connect(url, bob.accessToken);
    clients.push(again);
    expect((await a.ask({ type: 'friends' })).friends).toEqual([{ user_id: bob.id, status: 'friend', online: true }]);
    again.close();

    expect(await a.ask({ type: 'friend_remove', user_id: bob.id })).toMatchObject({ type: 'friend', status: 'none' });
    expect(await b.next((f) => f.type === 'friend' && f.status === 'none')).toEqual({ type: 'friend', user_id: ann.id, status: 'none' });
    expect(await a.ask({ type: 'friend_remove', user_id: bob.id })).toMatchObject({ type: 'error', code: 'CHAT.NOT_FRIENDS' });
  });

  it('declines a request, and takes two crossing requests as a friendship', async () => {
    const [ann, bob] = [await newUser(), await newUser()];
    const [a, b] = [await connect(ann), await connect(bob)];
    await a.ask({ type: 'friend_request', user_id: bob.id });
    expect(await b.ask({ type: 'friend_decline', user_id: ann.id })).toMatchObject({ type: 'friend', status: 'none' });
    expect(await a.next((f) => f.type === 'friend' && f.status === 'none')).toMatchObject({ user_id: bob.id });
    await a.ask({ type: 'friend_request', user_id: bob.id });
    expect(await b.ask({ type: 'friend_request', user_id: ann.id })).toMatchObject({ type: 'friend', status: 'friend' });
    expect((await a.ask({ type: 'friends' })).friends).toEqual([{ user_id: bob.id, status: 'friend', online: true }]);
  });

  it('lets friends message each other directly, on every connection of theirs, and nobody else', async () => {
    const [ann, a, bob, b] = await friends();
    const cid = await newUser();
    const c = await connect(cid);
    const b2 = await connect(bob);
    const sent = await a.ask({ type: 'direct', to: bob.id, text: 'psst' });
    expect(sent).toMatchObject({ type: 'sent', id: expect.stringMatching(/^\d{13}-[0-9a-f]{12}$/) });
    for (const client of [a, b, b2]) {
      expect(await client.next((f) => f.type === 'message')).toEqual({ type: 'message', id: sent.id, users: [ann.id, bob.id].sort(), sender_id: ann.id, text: 'psst', sent_at: expect.any(String) });
    }
    expect(await c.ask({ type: 'direct', to: ann.id, text: 'hi' })).toMatchObject({ type: 'error', code: 'CHAT.DIRECT_NOT_ALLOWED', message: 'you can message your friends only' });
    await c.ask({ type: 'friend_request', user_id: ann.id });
    expect(await c.ask({ type: 'direct', to: ann.id, text: 'hi' })).toMatchObject({ type: 'error', code: 'CHAT.DIRECT_NOT_ALLOWED' }); // a request is not enough by default
    await settle(c);
    expect(c.messages()).toEqual([]);
  });

  it('lets a pending request carry messages when configured so', async () => {
    await chat.close();
    await start({ chat: { directMessages: 'requested' } });
    const [ann, bob] = [await newUser(), await newUser()];
    const [a, b] = [await connect(ann), await connect(bob)];
    expect(await a.ask({ type: 'direct', to: bob.id, text: 'before' })).toMatchObject({ type: 'error', code: 'CHAT.DIRECT_NOT_ALLOWED', message: 'you can message your friends and friend requests only' });
    await a.ask({ type: 'friend_request', user_id: bob.id });
    const sent = await a.ask({ type: 'direct', to: bob.id, text: 'hello stranger' });
    expect(await b.next((f) => f.type === 'message')).toMatchObject({ id: sent.id, text: 'hello stranger' });
  });

  it('runs user channels: create, join by id, messages to members only, rename and remove by the owner', async () => {
    const [ann, bob, cid] = [await newUser(), await newUser(), await newUser()];
    const [a, b, c] = [await connect(ann), await connect(bob), await connect(cid)];
    const created = await a.ask({ type: 'create_channel', name: '  Book club  ' });
    expect(created).toMatchObject({ type: 'channel', channel: { id: expect.any(String), name: 'Book club', owner_id: ann.id }, member: true });
    const id = (created.channel as { id: string }).id;
    expect(await b.ask({ type: 'join', channel: id })).toMatchObject({ type: 'channel', channel: { id, name: 'Book club' }, member: true });
    expect(await a.next((f) => f.type === 'member')).toEqual({ type: 'member', channel: id, user_id: bob.id, joined: true, online: true });
    expect((await b.ask({ type: 'members', channel: id })).members).toEqual([
      { user_id: ann.id, online: true, owner: true },
      { user_id: bob.id, online: true },
    ]);

    const sent = await b.ask({ type: 'message', channel: id, text: 'hello' });
    for (const client of [a, b]) expect(await client.next((f) => f.type === 'message')).toEqual({ type: 'message', id: sent.id, channel: id, sender_id: bob.id, text: 'hello', sent_at: expect.any(String) });
    expect(await c.ask({ type: 'message', channel: id, text: 'let me in' })).toMatchObject({ type: 'error', code: 'CHAT.NOT_MEMBER' });
    expect(await c.ask({ type: 'history', channel: id })).toMatchObject({ type: 'error', code: 'CHAT.NOT_MEMBER' });
    await settle(c);
    expect(c.messages()).toEqual([]);

    expect(await b.ask({ type: 'rename_channel', channel: id, name: 'Mine now' })).toMatchObject({ type: 'error', code: 'CHAT.NOT_OWNER' });
    await a.ask({ type: 'rename_channel', channel: id, name: 'Readers' });
    expect(await b.next((f) => f.type === 'channel' && (f.channel as { name: string }).name === 'Readers')).toEqual({ type: 'channel', channel: { id, name: 'Readers', owner_id: ann.id }, member: true });
    expect(await a.ask({ type: 'remove_member', channel: id, user_id: ann.id })).toMatchObject({ type: 'error', code: 'CHAT.OWNER_STAYS' });
    expect(await a.ask({ type: 'remove_member', channel: id, user_id: bob.id })).toMatchObject({ type: 'member', channel: id, user_id: bob.id, joined: false });
    expect(await b.next((f) => f.type === 'channel' && f.member === false)).toMatchObject({ channel: { id } });
    await a.ask({ type: 'message', channel: id, text: 'just me' });
    await settle(b);
    expect(b.messages()).toEqual([]);
    expect((await b.ask({ type: 'channels' })).channels).toEqual([]);
  });

  it('hands a channel to the longest-standing member when its owner leaves, and deletes it with the last', async () => {
    const [ann, bob] = [await newUser(), await newUser()];
    const [a, b] = [await connect(ann), await connect(bob)];
    const id = ((await a.ask({ type: 'create_channel', name: 'short lived' })).channel as { id: string }).id;
    await b.ask({ type: 'join', channel: id });
    expect(await a.ask({ type: 'leave', channel: id })).toMatchObject({ type: 'channel', channel: { owner_id: bob.id }, member: false });
    expect(await b.next((f) => f.type === 'channel' && (f.channel as { owner_id: string }).owner_id === bob.id)).toEqual({ type: 'channel', channel: { id, name: 'short lived', owner_id: bob.id }, member: true });
    await b.ask({ type: 'leave', channel: id });
    expect(await a.ask({ type: 'join', channel: id })).toMatchObject({ type: 'error', code: 'CHAT.UNKNOWN_CHANNEL' });
  });

  it('pushes the friend list with online states on connect, and a friend going online and offline with the last socket', async () => {
    const [ann, a, bob, b] = await friends();
    const mate = await newUser();
    const m = await connect(mate);
    const channel = ((await a.ask({ type: 'create_channel', name: 'mates' })).channel as { id: string }).id;
    await m.ask({ type: 'join', channel });

    const b2 = await connect(bob);
    b.close();
    await settle(a);
    expect(a.frames.filter((f) => f.type === 'presence')).toEqual([]); // bob is still connected
    b2.close();
    expect(await a.next((f) => f.type === 'presence')).toEqual({ type: 'presence', user_id: bob.id, online: false });

    a.close();
    expect(await m.next((f) => f.type === 'presence')).toEqual({ type: 'presence', user_id: ann.id, online: false }); // a channel mate
    const back = await ChatClient.connect(url);
    clients.push(back);
    back.send({ type: 'auth', token: bob.accessToken });
    expect((await back.initialState()).friends).toEqual({ type: 'friends', friends: [{ user_id: ann.id, status: 'friend', online: false }] });
    const annBack = await connect(ann);
    expect(await back.next((f) => f.type === 'presence')).toEqual({ type: 'presence', user_id: ann.id, online: true });
    expect(await m.next((f) => f.type === 'presence')).toEqual({ type: 'presence', user_id: ann.id, online: true });
    annBack.close();
  });

  it('pages the combined history of every conversation to its end, nothing missing or doubled', async () => {
    const [ann, a, bob, b] = await friends();
    const channel = ((await a.ask({ type: 'create_channel', name: 'log' })).channel as { id: string }).id;
    const other = ((await b.ask({ type: 'create_channel', name: 'not ann’s' })).channel as { id: string }).id;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const frame = i % 2 ? { type: 'direct', to: bob.id, text: `d${i}` } : { type: 'message', channel, text: `c${i}` };
      ids.push((await a.ask(frame)).id as string);
    }
    await b.ask({ type: 'message', channel: other, text: 'elsewhere' });
    const seen: string[] = [];
    let before: unknown;
    for (;;) {
      const page = await a.ask({ type: 'history', limit: 3, ...(before !== undefined && { before }) });
      seen.push(...(page.messages as Array<{ id: string }>).map((m) => m.id));
      if (page.next_before === null) break;
      before = page.next_before;
    }
    expect(seen).toEqual([...ids].reverse());
    const direct = await request(url).get(`/api/chat/direct/${ann.id}/messages?limit=2`).set('authorization', `Bearer ${bob.accessToken}`).expect(200);
    expect(direct.body.messages.map((m: { text: string }) => m.text)).toEqual(['d5', 'd3']);
    const rest = await request(url).get(`/api/chat/messages?limit=100&before=${ids[3]}`).set('authorization', `Bearer ${ann.accessToken}`).expect(200);
    expect(rest.body).toEqual({ messages: ids.slice(0, 3).reverse().map((id) => expect.objectContaining({ id })), next_before: null });
    await request(url).get('/api/chat/messages').expect(401);
    expect((await request(url).get('/api/chat/messages?before=x').set('authorization', `Bearer ${ann.accessToken}`).expect(400)).body.code).toBe('CHAT.INVALID_CURSOR');
    expect((await request(url).get(`/api/chat/channels/${other}/messages`).set('authorization', `Bearer ${ann.accessToken}`).expect(403)).body.code).toBe('CHAT.NOT_MEMBER');
  });

  it('counts unread messages per conversation, and reading on one connection updates the others', async () => {
    const [ann, a, bob, b] = await friends();
    const channel = ((await a.ask({ type: 'create_channel', name: 'news' })).channel as { id: string }).id;
    await b.ask({ type: 'join', channel });
    for (const text of ['one', 'two', 'three']) await a.ask({ type: 'message', channel, text });
    await a.ask({ type: 'direct', to: bob.id, text: 'dm' });
    expect(await b.ask({ type: 'unread' })).toMatchObject({ type: 'unread', channels: { [channel]: 3 }, direct: { [ann.id]: 1 } });
    expect(await a.ask({ type: 'unread' })).toMatchObject({ channels: { [channel]: 0 }, direct: { [bob.id]: 0 } }); // their own

    const b2 = await connect(bob);
    const history = await b.ask({ type: 'history', channel, limit: 3 });
    const middle = (history.messages as Array<{ id: string }>)[1]!.id;
    expect(await b.ask({ type: 'read', channel, up_to: middle })).toMatchObject({ type: 'unread', channels: { [channel]: 1 }, direct: {} });
    expect(await b2.next((f) => f.type === 'unread' && f.client_id === undefined)).toEqual({ type: 'unread', channels: { [channel]: 1 }, direct: {} });
    await b.ask({ type: 'read', with: ann.id });
    expect(await b2.ask({ type: 'unread' })).toMatchObject({ channels: { [channel]: 1 }, direct: { [ann.id]: 0 } });
    expect(await b.ask({ type: 'read', channel, up_to: '9999999999999-ffffffffffff' })).toMatchObject({ channels: { [channel]: 0 } }); // capped at the latest
    await a.ask({ type: 'message', channel, text: 'four' });
    expect((await b2.ask({ type: 'unread' })).channels).toEqual({ [channel]: 1 });
    expect((await request(url).get('/api/chat/unread').set('authorization', `Bearer ${bob.accessToken}`).expect(200)).body).toEqual({ channels: { [channel]: 1 }, direct: { [ann.id]: 0 } });
  });

  it('answers bad input with clear error frames and no effect', async () => {
    const [, a] = await friends();
    a.send('{not json');
    expect(await a.next((f) => f.type === 'error')).toMatchObject({ code: 'CHAT.MALFORMED_FRAME', message: 'malformed frame: not JSON' });
    a.send('[1,2]');
    expect(await a.next((f) => f.type === 'error')).toMatchObject({ code: 'CHAT.MALFORMED_FRAME' });
    expect(await a.ask({ type: 'shout' })).toMatchObject({ type: 'error', code: 'CHAT.MALFORMED_FRAME', request_type: 'shout' });
    expect(await a.ask({ type: 'toString' })).toMatchObject({ type: 'error', code: 'CHAT.MALFORMED_FRAME' });
    expect(await a.ask({ type: 'join', channel: 'no-such-channel' })).toMatchObject({ type: 'error', code: 'CHAT.UNKNOWN_CHANNEL', message: 'no such channel' });
    expect(await a.ask({ type: 'join', channel: 42 })).toMatchObject({ type: 'error', code: 'CHAT.MALFORMED_FRAME' });
    for (const name of ['', '   ', 'x'.repeat(65), 'tab\there', 7]) expect(await a.ask({ type: 'create_channel', name })).toMatchObject({ type: 'error', code: 'CHAT.INVALID_CHANNEL_NAME' });
    const channel = ((await a.ask({ type: 'create_channel', name: 'ok' })).channel as { id: string }).id;
    for (const text of ['x'.repeat(201), '   ', 42, undefined]) {
      expect(await a.ask({ type: 'message', channel, text })).toMatchObject({ type: 'error', code: 'CHAT.INVALID_TEXT' });
    }
    expect(await a.ask({ type: 'read' })).toMatchObject({ type: 'error', code: 'CHAT.MALFORMED_FRAME' });
    expect(await a.ask({ type: 'history', channel, limit: 0 })).toMatchObject({ type: 'error', code: 'CHAT.MALFORMED_FRAME' });
    expect((await a.ask({ type: 'history', channel })).messages).toEqual([]);
    expect((await a.ask({ type: 'channels' })).channels).toHaveLength(1);
    // A frame beyond the size limit ends the connection (1009) instead of being buffered.
    const closed = new Promise<number>((resolve) => a.socket.once('close', resolve));
    a.send({ type: 'message', channel, text: 'y'.repeat(10_000) });
    expect(await closed).toBe(1009);
  });

  it('authenticates by upgrade header, cookie or auth frame, and refuses everything before that', async () => {
    const ann = await newUser();
    const anonymous = await connect();
    expect(await anonymous.ask({ type: 'channels' })).toMatchObject({ type: 'error', code: 'CHAT.MALFORMED_FRAME' });
    anonymous.send({ type: 'auth', token: 'garbage' });
    expect(await anonymous.next((f) => f.type === 'error')).toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
    anonymous.send({ type: 'auth', token: ann.accessToken });
    expect(await anonymous.initialState()).toEqual({
      ready: { type: 'ready', user_id: ann.id },
      friends: { type: 'friends', friends: [] },
      channels: { type: 'channels', channels: [] },
      unread: { type: 'unread', channels: {}, direct: {} },
    });

    const { WebSocket } = await import('ws');
    const viaCookie = new WebSocket(`${url.replace('http', 'ws')}/ws/chat`, { headers: { cookie: `accessToken=${ann.accessToken}` } });
    const ready = await new Promise((resolve) => viaCookie.once('message', (data) => resolve(JSON.parse(data.toString()))));
    expect(ready).toEqual({ type: 'ready', user_id: ann.id });
    viaCookie.close();
  });

  it('rate limits a flooding user with error frames while others chat on', async () => {
    await chat.close();
    await start({ chat: { framesPerUser: { limit: 5, windowMs: 10_000 } } });
    const [ann, bob] = [await newUser(), await newUser()];
    const [a, b] = [await connect(ann), await connect(bob)];
    const channel = ((await a.ask({ type: 'create_channel', name: 'flood' })).channel as { id: string }).id;
    await b.ask({ type: 'join', channel });
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await a.ask({ type: 'message', channel, text: `flood ${i}` }));
    expect(replies.slice(0, 4).map((r) => r.type)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(replies[4]).toMatchObject({ type: 'error', code: 'RATE_LIMIT.EXCEEDED', retry_after_seconds: 2 });
    expect(await b.ask({ type: 'message', channel, text: 'still here' })).toMatchObject({ type: 'sent' });
    const received = [];
    for (let i = 0; i < 5; i++) received.push((await b.next((f) => f.type === 'message')).text);
    expect(received).toEqual(['flood 0', 'flood 1', 'flood 2', 'flood 3', 'still here']);
  });

  it('serves the users API only with the auth domain embedded, liveness and readiness, and /metrics on its own port', async () => {
    await request(url).post('/api/users').send({ email: 'x@example.com', password: 'Correct-Horse-7' }).expect(auth === 'embedded' ? 201 : 404);
    await request(url).get('/api/health').expect(200, { status: 'ok' });
    await request(url).get('/api/health/live').expect(200, { status: 'ok' });
    const { body } = await request(url).get('/api/health/ready').expect(200);
    expect(Object.keys(body.checks).sort()).toEqual(auth === 'embedded' ? ['sqlite:app'] : ['auth-service', 'sqlite:app']);
    await request(url).get('/metrics').expect(404);
    expect(await (await fetch(`${chat.metricsUrl}/metrics`)).text()).toContain('http_requests_total{method="GET",route="/api/health/ready",status="200"} 1');
  });
});

describe('chat app (auth remote) while the user app is down', () => {
  it('refuses with 503 and a message over REST, and an error frame over the WebSocket', async () => {
    const userApp = await serveTestUserApp();
    const chat = await serveApp(await createChatContainer(testConfig({ auth: { kind: 'remote', url: userApp.url, timeoutMs: 1_000, cacheTtlMs: 5_000 } })), { port: 0 });
    try {
      const ann = await new AuthClient(userApp.url).newUser();
      await userApp.close();
      expect((await request(chat.url).get('/api/health/ready').expect(503)).body.message).toMatch(/^not ready: auth-service \(/);
      const refused = await request(chat.url).get('/api/chat/messages').set('authorization', `Bearer ${ann.accessToken}`).expect(503);
      expect(refused.body).toEqual({ code: 'AUTH.UNAVAILABLE', message: 'authentication is temporarily unavailable' });
      const client = await ChatClient.connect(chat.url);
      client.send({ type: 'auth', token: ann.accessToken });
      expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'AUTH.UNAVAILABLE', message: 'authentication is temporarily unavailable' });
      client.close();
    } finally {
      await chat.close();
    }
  });
});
