import type { Application } from 'express';
import type { Container } from 'inversify';
import request from 'supertest';
import type { WebSocketServer } from 'ws';
import { listen, type RunningServer } from '@sd/http/server';
import { createChatContainer, HttpApp, WebSockets } from './container';
import { ChatClient, newUser, testConfig } from './testing/chat-client';

/** The chat app on its embedded default (sql.js, memory MQ and cache), built as main builds it. */
describe('chat app (embedded)', () => {
  let container: Container;
  let server: RunningServer;
  let url: string;
  const clients: ChatClient[] = [];

  const start = async (overrides: Parameters<typeof testConfig>[0] = {}): Promise<void> => {
    container = await createChatContainer(testConfig(overrides));
    server = await listen(container.get<Application>(HttpApp), { port: 0, webSockets: container.get<Record<string, WebSocketServer>>(WebSockets) });
    url = server.url;
  };
  const connect = async (token?: string): Promise<ChatClient> => {
    const client = await ChatClient.connect(url, token);
    clients.push(client);
    return client;
  };

  beforeEach(() => start());
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server.close();
    await container.unbindAllAsync();
  });

  it('delivers a channel message once to each member, the sender included, and not to others', async () => {
    const [alice, bob, carol] = [await newUser(url), await newUser(url), await newUser(url)];
    const [a, b, c] = [await connect(alice.token), await connect(bob.token), await connect(carol.token)];
    expect(await a.ask({ type: 'join', channel: 'general' })).toMatchObject({ type: 'joined', channel: 'general', online: [alice.id] });
    const joined = await b.ask({ type: 'join', channel: 'general' });
    expect(joined.online).toEqual([alice.id, bob.id].sort());
    await c.ask({ type: 'join', channel: 'random' });

    const sent = await a.ask({ type: 'message', channel: 'general', text: 'hello' });
    expect(sent).toMatchObject({ type: 'sent', id: expect.stringMatching(/^\d{13}-[0-9a-f]{12}$/) });
    const expected = { type: 'message', id: sent.id, channel: 'general', sender_id: alice.id, text: 'hello', sent_at: expect.any(String) };
    expect(await b.next((f) => f.type === 'message')).toEqual(expected);
    expect(await a.next((f) => f.type === 'message')).toEqual(expected);
    await a.ask({ type: 'presence', channel: 'general' }); // a round trip: anything else would have arrived
    expect([...a.messages(), ...b.messages(), ...c.messages()]).toEqual([]);
  });

  it('sends direct messages to both users only, on every connection of theirs', async () => {
    const [alice, bob, carol] = [await newUser(url), await newUser(url), await newUser(url)];
    const [a, b1, b2, c] = [await connect(alice.token), await connect(bob.token), await connect(bob.token), await connect(carol.token)];
    const sent = await a.ask({ type: 'direct', to: bob.id, text: 'psst' });
    for (const client of [a, b1, b2]) {
      expect(await client.next((f) => f.type === 'message')).toMatchObject({ id: sent.id, users: [alice.id, bob.id].sort(), sender_id: alice.id, text: 'psst' });
    }
    await c.ask({ type: 'presence', channel: 'general' });
    expect(c.messages()).toEqual([]);
    expect(await a.ask({ type: 'direct', to: 'no-such-user', text: 'hi' })).toMatchObject({ type: 'error', code: 'CHAT.UNKNOWN_USER' });
  });

  it('pages history with a cursor over WebSocket and REST', async () => {
    const [alice, bob] = [await newUser(url), await newUser(url)];
    const a = await connect(alice.token);
    await a.ask({ type: 'join', channel: 'general' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await a.ask({ type: 'message', channel: 'general', text: `m${i}` })).id as string);
    await a.ask({ type: 'direct', to: bob.id, text: 'private' });

    const first = await a.ask({ type: 'history', channel: 'general', limit: 2 });
    expect((first.messages as Array<{ text: string }>).map((m) => m.text)).toEqual(['m4', 'm3']);
    const second = await a.ask({ type: 'history', channel: 'general', limit: 2, before: first.next_before });
    expect((second.messages as Array<{ text: string }>).map((m) => m.text)).toEqual(['m2', 'm1']);
    const rest = await request(url).get(`/api/chat/channels/general/messages?limit=2&before=${second.next_before}`).set('authorization', `Bearer ${bob.token}`).expect(200);
    expect(rest.body).toEqual({ messages: [expect.objectContaining({ id: ids[0], text: 'm0' })], next_before: null });

    const direct = await request(url).get(`/api/chat/direct/${alice.id}/messages`).set('authorization', `Bearer ${bob.token}`).expect(200);
    expect(direct.body.messages.map((m: { text: string }) => m.text)).toEqual(['private']);
    await request(url).get('/api/chat/channels/general/messages').expect(401);
    expect((await request(url).get('/api/chat/channels/nope/messages').set('authorization', `Bearer ${bob.token}`).expect(404)).body.code).toBe('CHAT.UNKNOWN_CHANNEL');
    expect((await request(url).get('/api/chat/channels/general/messages?before=x').set('authorization', `Bearer ${bob.token}`).expect(400)).body.code).toBe('CHAT.INVALID_CURSOR');
  });

  it('shows presence per channel and forgets a user who leaves or disconnects', async () => {
    const [alice, bob] = [await newUser(url), await newUser(url)];
    const [a, b] = [await connect(alice.token), await connect(bob.token)];
    await a.ask({ type: 'join', channel: 'general' });
    await b.ask({ type: 'join', channel: 'general' });
    await b.ask({ type: 'join', channel: 'random' });
    expect((await a.ask({ type: 'presence', channel: 'random' })).online).toEqual([bob.id]);
    await b.ask({ type: 'leave', channel: 'general' });
    expect((await a.ask({ type: 'presence', channel: 'general' })).online).toEqual([alice.id]);
    b.close();
    await new Promise((resolve) => b.socket.once('close', resolve));
    await a.next(() => false, 100).catch(() => undefined); // the server handles the close
    expect((await a.ask({ type: 'presence', channel: 'random' })).online).toEqual([]);
  });

  it('answers bad input with clear error frames and no effect', async () => {
    const alice = await newUser(url);
    const a = await connect(alice.token);
    a.send('{not json');
    expect(await a.next((f) => f.type === 'error')).toMatchObject({ code: 'CHAT.MALFORMED_FRAME', message: 'malformed frame: not JSON' });
    a.send('[1,2]');
    expect(await a.next((f) => f.type === 'error')).toMatchObject({ code: 'CHAT.MALFORMED_FRAME' });
    expect(await a.ask({ type: 'shout' })).toMatchObject({ type: 'error', code: 'CHAT.MALFORMED_FRAME', request_type: 'shout' });
    expect(await a.ask({ type: 'join', channel: 'secret' })).toMatchObject({ type: 'error', code: 'CHAT.UNKNOWN_CHANNEL', message: 'no channel named secret' });
    expect(await a.ask({ type: 'message', channel: 'general', text: 'not joined' })).toMatchObject({ type: 'error', code: 'CHAT.NOT_JOINED' });
    await a.ask({ type: 'join', channel: 'general' });
    for (const text of ['x'.repeat(201), '   ', 42, undefined]) {
      expect(await a.ask({ type: 'message', channel: 'general', text })).toMatchObject({ type: 'error', code: 'CHAT.INVALID_TEXT' });
    }
    expect((await a.ask({ type: 'history', channel: 'general' })).messages).toEqual([]);
    // A frame beyond the size limit ends the connection (1009) instead of being buffered.
    const closed = new Promise<number>((resolve) => a.socket.once('close', resolve));
    a.send({ type: 'message', channel: 'general', text: 'y'.repeat(10_000) });
    expect(await closed).toBe(1009);
  });

  it('authenticates by upgrade header, cookie or auth frame, and refuses everything before that', async () => {
    const alice = await newUser(url);
    const anonymous = await connect();
    expect(await anonymous.ask({ type: 'join', channel: 'general' })).toMatchObject({ type: 'error', code: 'CHAT.MALFORMED_FRAME' });
    anonymous.send({ type: 'auth', token: 'garbage' });
    expect(await anonymous.next((f) => f.type === 'error')).toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
    anonymous.send({ type: 'auth', token: alice.token });
    expect(await anonymous.next((f) => f.type === 'ready')).toEqual({ type: 'ready', user_id: alice.id });
    expect(await anonymous.ask({ type: 'join', channel: 'general' })).toMatchObject({ type: 'joined' });

    const { WebSocket } = await import('ws');
    const viaCookie = new WebSocket(`${url.replace('http', 'ws')}/ws/chat`, { headers: { cookie: `accessToken=${alice.token}` } });
    const ready = await new Promise((resolve) => viaCookie.once('message', (data) => resolve(JSON.parse(data.toString()))));
    expect(ready).toEqual({ type: 'ready', user_id: alice.id });
    viaCookie.close();
  });

  it('rate limits a flooding user with error frames while others chat on', async () => {
    await server.close();
    await container.unbindAllAsync();
    await start({ chat: { framesPerUser: { limit: 5, windowMs: 10_000 } } });
    const [alice, bob] = [await newUser(url), await newUser(url)];
    const [a, b] = [await connect(alice.token), await connect(bob.token)];
    await a.ask({ type: 'join', channel: 'general' });
    await b.ask({ type: 'join', channel: 'general' });
    const replies = [];
    for (let i = 0; i < 6; i++) replies.push(await a.ask({ type: 'message', channel: 'general', text: `flood ${i}` }));
    expect(replies.slice(0, 4).map((r) => r.type)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(replies[4]).toMatchObject({ type: 'error', code: 'RATE_LIMIT.EXCEEDED', retry_after_seconds: 2 });
    expect(replies[5]).toMatchObject({ type: 'error', code: 'RATE_LIMIT.EXCEEDED' });
    expect(await b.ask({ type: 'message', channel: 'general', text: 'still here' })).toMatchObject({ type: 'sent' });
    const received = [];
    for (let i = 0; i < 5; i++) received.push((await b.next((f) => f.type === 'message')).text);
    expect(received).toEqual(['flood 0', 'flood 1', 'flood 2', 'flood 3', 'still here']);
  });

  it('serves health and metrics', async () => {
    await request(url).get('/api/health').expect(200, { status: 'ok' });
    expect((await request(url).get('/metrics').expect(200)).text).toContain('process_cpu');
  });
});
