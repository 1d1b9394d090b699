// The chat page: sign in, friends with their presence, channels, one conversation at a time.
// It speaks the chat WebSocket (`/ws/chat`) and the users API of the same origin.

type Frame = Record<string, unknown> & { type: string };
type Conversation = { channel: string } | { with: string };
interface Friend {
  status: 'friend' | 'incoming' | 'outgoing' | 'none';
  online?: boolean;
}
interface Message {
  id: string;
  channel?: string;
  users?: [string, string];
  sender_id: string;
  text: string;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const friends = new Map<string, Friend>();
const channels = new Map<string, { name: string; owner_id: string }>();
const unread = { channels: new Map<string, number>(), direct: new Map<string, number>() };
let me = '';
let socket: WebSocket | undefined;
let current: Conversation | undefined;

function alertUser(message: string): void {
  const line = document.createElement('div');
  line.textContent = message;
  $('alerts').replaceChildren(line);
}

function send(frame: Record<string, unknown>): void {
  socket?.send(JSON.stringify(frame));
}

async function signIn(signUp: boolean): Promise<void> {
  const credentials = { email: $<HTMLInputElement>('email').value, password: $<HTMLInputElement>('password').value };
  // No cookie: the page holds the token and authenticates its socket with it, in one way only.
  const post = (path: string) => fetch(path, { method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) });
  if (signUp) {
    const created = await post('/api/users');
    if (!created.ok) return alertUser(((await created.json()) as { message: string }).message);
  }
  const answer = await post('/api/users/accessToken');
  const body = (await answer.json()) as { access_token?: string; message?: string };
  if (!body.access_token) return alertUser(body.message ?? 'could not log in');
  $('alerts').replaceChildren();
  connect(body.access_token);
}

function connect(token: string): void {
  socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/chat`);
  $('conn').dataset.state = 'connecting';
  $('conn').textContent = 'Connecting…';
  socket.onopen = () => send({ type: 'auth', token });
  socket.onmessage = (event) => receive(JSON.parse(String(event.data)) as Frame);
  socket.onclose = () => {
    $('conn').dataset.state = 'closed';
    $('conn').textContent = 'Disconnected';
  };
}

function receive(frame: Frame): void {
  switch (frame.type) {
    case 'ready':
      me = frame.user_id as string;
      $('me').textContent = me;
      $('session').hidden = false;
      $('login-form').hidden = true;
      $('app').hidden = false;
      $('conn').dataset.state = 'open';
      $('conn').textContent = 'Connected';
      return;
    case 'friends':
      friends.clear();
      for (const f of frame.friends as Array<Friend & { user_id: string }>) friends.set(f.user_id, f);
      return renderFriends();
    case 'friend': {
      const { user_id: id, status, online } = frame as unknown as Friend & { user_id: string };
      if (status === 'none') friends.delete(id);
      else friends.set(id, { status, online: online ?? friends.get(id)?.online });
      return renderFriends();
    }
    case 'presence': {
      const friend = friends.get(frame.user_id as string);
      if (friend) friend.online = frame.online as boolean;
      return renderFriends();
    }
    case 'channels':
      channels.clear();
      for (const c of frame.channels as Array<{ id: string; name: string; owner_id: string }>) channels.set(c.id, c);
      return renderChannels();
    case 'channel': {
      const channel = frame.channel as { id: string; name: string; owner_id: string };
      if (frame.member) channels.set(channel.id, channel);
      else channels.delete(channel.id);
      if (current && 'channel' in current && current.channel === channel.id) select(frame.member ? current : undefined);
      return renderChannels();
    }
    case 'unread':
      for (const [id, n] of Object.entries(frame.channels as Record<string, number>)) unread.channels.set(id, n);
      for (const [id, n] of Object.entries(frame.direct as Record<string, number>)) unread.direct.set(id, n);
      renderFriends();
      return renderChannels();
    case 'message':
      return onMessage(frame as unknown as Message);
    case 'history':
      $('messages').replaceChildren();
      for (const message of [...(frame.messages as Message[])].reverse()) appendMessage(message);
      return;
    case 'error':
      return alertUser(frame.message as string);
  }
}

function onMessage(message: Message): void {
  if (current && isIn(message, current)) {
    appendMessage(message);
    send({ type: 'read', ...current, up_to: message.id });
  } else if (message.sender_id !== me) {
    // Counted here until the server's next unread frame for it (on reading) says otherwise.
    const [counts, key] = message.channel ? [unread.channels, message.channel] : [unread.direct, message.sender_id];
    counts.set(key, (counts.get(key) ?? 0) + 1);
    renderFriends();
    renderChannels();
  }
}

function isIn(message: Message, conversation: Conversation): boolean {
  if ('channel' in conversation) return message.channel === conversation.channel;
  const users: readonly string[] = message.users ?? [];
  return users.includes(conversation.with) && users.includes(me);
}

function appendMessage(message: Message): void {
  const item = document.createElement('li');
  item.dataset.id = message.id;
  const sender = document.createElement('span');
  sender.className = 'sender';
  sender.textContent = message.sender_id === me ? 'me' : message.sender_id.slice(0, 8);
  item.append(sender, message.text);
  $('messages').append(item);
  item.scrollIntoView({ block: 'end' });
}

function select(conversation: Conversation | undefined): void {
  current = conversation;
  $<HTMLInputElement>('text').disabled = $<HTMLButtonElement>('send').disabled = !conversation;
  $('messages').replaceChildren();
  if (!conversation) {
    $('conv-title').textContent = 'Pick a friend or a channel';
    return;
  }
  // A channel's id is what others join it by: shown to share.
  $('conv-title').textContent = 'channel' in conversation ? `# ${channels.get(conversation.channel)?.name ?? ''} (id ${conversation.channel})` : `@ ${conversation.with}`;
  send({ type: 'history', ...conversation, limit: 50 });
  send({ type: 'read', ...conversation });
  renderFriends();
  renderChannels();
}

function item(attributes: Record<string, string>, label: string, badge: number | undefined, onClick: () => void, extra: HTMLElement[] = []): HTMLLIElement {
  const li = document.createElement('li');
  for (const [name, value] of Object.entries(attributes)) li.setAttribute(name, value);
  const dot = document.createElement('span');
  dot.className = 'dot';
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = label;
  const count = document.createElement('span');
  count.className = 'badge';
  count.textContent = badge ? String(badge) : '';
  li.append(dot, name, ...extra, count);
  li.addEventListener('click', onClick);
  return li;
}

function renderFriends(): void {
  $('friends').replaceChildren(
    ...[...friends].map(([id, friend]) => {
      const accept = document.createElement('button');
      accept.textContent = 'Accept';
      accept.className = 'accept';
      accept.addEventListener('click', (event) => {
        event.stopPropagation();
        send({ type: 'friend_accept', user_id: id });
      });
      const label = friend.status === 'friend' ? id : `${id} (${friend.status === 'incoming' ? 'wants to be friends' : 'asked'})`;
      const selected = current && 'with' in current && current.with === id;
      return item(
        { 'data-user': id, 'data-status': friend.status, 'data-online': String(friend.online === true), 'aria-current': String(Boolean(selected)) },
        label,
        unread.direct.get(id),
        () => friend.status === 'friend' && select({ with: id }),
        friend.status === 'incoming' ? [accept] : [],
      );
    }),
  );
}

function renderChannels(): void {
  $('channels').replaceChildren(
    ...[...channels].map(([id, channel]) => {
      const selected = current && 'channel' in current && current.channel === id;
      return item({ 'data-channel': id, 'aria-current': String(Boolean(selected)), title: id }, channel.name, unread.channels.get(id), () => select({ channel: id }));
    }),
  );
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void signIn(false);
});
$('signup').addEventListener('click', () => void signIn(true));
$('friend-form').addEventListener('submit', (event) => {
  event.preventDefault();
  send({ type: 'friend_request', user_id: $<HTMLInputElement>('friend-id').value.trim() });
  $<HTMLInputElement>('friend-id').value = '';
});
$('create-form').addEventListener('submit', (event) => {
  event.preventDefault();
  send({ type: 'create_channel', name: $<HTMLInputElement>('channel-name').value });
  $<HTMLInputElement>('channel-name').value = '';
});
$('join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  send({ type: 'join', channel: $<HTMLInputElement>('channel-id').value.trim() });
  $<HTMLInputElement>('channel-id').value = '';
});
$('send-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (!current) return;
  const text = $<HTMLInputElement>('text');
  send(current && 'channel' in current ? { type: 'message', channel: current.channel, text: text.value } : { type: 'direct', to: current.with, text: text.value });
  text.value = '';
});
