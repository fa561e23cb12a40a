import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredRecord } from '../stream/messageStream.ts';
import { startTestServer, type TestServer } from '../testing/testServer.ts';
import { WsTestClient } from '../testing/wsTestClient.ts';

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/;

async function history(t: TestServer, sid: string): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for await (const chunk of t.server.stream.readSession(sid)) records.push(...chunk);
  return records;
}

describe('a conversation over the article flow', () => {
  let t: TestServer;
  const clients: WsTestClient[] = [];
  const connect = async (sid?: string) => {
    const client = await WsTestClient.connect(t.url, { sid });
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await t.stop();
  });

  it('gives a new visitor a 160-bit HttpOnly cookie and the greeting, records nothing until the first answer, then the start marker first', async () => {
    const client = await connect();
    expect(client.cookieSet).toBe(true);
    expect(client.sid).toMatch(/^[0-9a-f]{40}$/);
    const [greeting, question] = await client.take(2);
    expect(greeting).toEqual({ kind: 'BotText', content: "Hi, I'm Bot! Nice to meet you." });
    expect(question).toMatchObject({ kind: 'ChoiceRequest', groupId: 'lang' });

    // A bare handshake costs no record: the greeting is recorded with the first answer.
    expect(await history(t, client.sid!)).toEqual([]);
    expect(t.server.stream.endOffset()).toBe(0);
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    expect(await client.next()).toMatchObject({ kind: 'ChoiceRequest', groupId: 'others' });

    const records = await history(t, client.sid!);
    expect(records.map((r) => r.record.payload?.kind ?? 'start')).toEqual(['start', 'Request', 'Request', 'Response', 'Request']);
    // The article's fields in its order, then the tags its consumers ignore (flowHash, state).
    expect(Object.keys(records[0].record)).toEqual(['sid', 'timestamp', 'flowHash']);
    expect(Object.keys(records[1].record)).toEqual(['sid', 'payload', 'timestamp', 'state']);
    for (const r of records) expect(r.record.timestamp).toMatch(TIMESTAMP);
  });

  it('sets the cookie with HttpOnly, SameSite=Lax and Path=/, and Secure behind an https proxy', async () => {
    const { WebSocket } = await import('ws');
    const cookieOf = (headers: Record<string, string>) =>
      new Promise<string>((resolve, reject) => {
        const ws = new WebSocket(t.url.replace('http', 'ws'), { headers });
        ws.on('upgrade', (res) => resolve(String(res.headers['set-cookie'])));
        ws.on('open', () => ws.close());
        ws.on('error', reject);
      });
    const plain = await cookieOf({});
    expect(plain).toMatch(/^Fluvio-Bot-Assistant=[0-9a-f]{40}; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(await cookieOf({ 'X-Forwarded-Proto': 'https' })).toMatch(/; Secure$/);
  });

  it('walks the choice path and the chat path to the end', async () => {
    const client = await connect();
    await client.take(2);
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    expect(await client.next()).toMatchObject({ kind: 'ChoiceRequest', groupId: 'others' });
    client.send({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'yes', content: 'Yes' });
    expect(await client.next()).toMatchObject({ kind: 'ChoiceRequest', groupId: 'lang' });
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other', content: 'Other' });
    expect(await client.next()).toMatchObject({ kind: 'StartChatSession', sessionId: 'langPreference' });
    client.send({ kind: 'UserText', sessionId: 'langPreference', content: 'Zig' });
    expect(await client.take(2)).toMatchObject([{ kind: 'EndChatSession' }, { kind: 'ChoiceRequest', groupId: 'others' }]);
    client.send({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' });
    expect(await client.next()).toEqual({ kind: 'BotText', content: 'Great, thanks!' });

    const records = await history(t, client.sid!);
    const responses = records.filter((r) => r.record.payload?.kind === 'Response').map((r) => r.record.payload!.message);
    expect(responses).toEqual([
      { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' },
      { kind: 'ChoiceResponse', groupId: 'others', itemId: 'yes', content: 'Yes' },
      { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other', content: 'Other' },
      { kind: 'UserText', sessionId: 'langPreference', content: 'Zig' },
      { kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' },
    ]);
  });

  it('answers an answer to nothing pending with an error to that socket only, and records nothing', async () => {
    const client = await connect();
    await client.take(2);
    const before = t.server.stream.endOffset();
    client.send({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'yes' });
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'not-pending' });
    client.send({ kind: 'ChoiceResponse', groupId: 'nope', itemId: 'x' });
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'not-pending' });
    client.send({ kind: 'UserText', sessionId: 'langPreference', content: 'hi' });
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'not-pending' });
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'cobol' });
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'no-match' });
    expect(t.server.stream.endOffset()).toBe(before);
    // the conversation is unchanged: the real answer still works
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'go', content: 'Go' });
    expect(await client.next()).toMatchObject({ kind: 'ChoiceRequest', groupId: 'others' });
  });

  it('replays the history (requests and the user’s own answers) to a reconnecting socket, then goes on live', async () => {
    const first = await connect();
    await first.take(2);
    first.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other', content: 'Other' });
    await first.next();
    first.send({ kind: 'UserText', sessionId: 'langPreference', content: 'Zig' });
    await first.take(2);
    await first.close();

    const again = await connect(first.sid);
    expect(again.cookieSet).toBe(false);
    const replayed = await again.take(7);
    expect(replayed.map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest', 'ChoiceResponse', 'StartChatSession', 'UserText', 'EndChatSession', 'ChoiceRequest']);
    expect(replayed[4]).toEqual({ kind: 'UserText', sessionId: 'langPreference', content: 'Zig' });
    again.send({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' });
    expect(await again.next()).toEqual({ kind: 'BotText', content: 'Great, thanks!' });
    expect(await again.drain()).toEqual([]);
  });

  it('keeps frames sent during a replay and answers them after it', async () => {
    const first = await connect();
    await first.take(2);
    await first.close();
    const again = await connect(first.sid);
    again.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    const frames = await again.take(3);
    expect(frames.map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest', 'ChoiceRequest']);
    expect(frames[2]).toMatchObject({ groupId: 'others' });
  });

  it('treats a well-formed but unknown session id as a new session with a new cookie', async () => {
    const client = await connect('ab'.repeat(20));
    expect(client.cookieSet).toBe(true);
    expect(client.sid).not.toBe('ab'.repeat(20));
    expect(await client.next()).toMatchObject({ kind: 'BotText' });
  });

  it('shares one conversation between two tabs, echoes answers to the other tab, and survives one tab closing', async () => {
    const tabA = await connect();
    await tabA.take(2);
    const tabB = await connect(tabA.sid);
    await tabB.take(2);
    tabA.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    expect(await tabA.next()).toMatchObject({ kind: 'ChoiceRequest', groupId: 'others' });
    expect(await tabB.take(2)).toEqual([
      { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' },
      expect.objectContaining({ kind: 'ChoiceRequest', groupId: 'others' }),
    ]);
    await tabA.close();
    tabB.send({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' });
    expect(await tabB.next()).toEqual({ kind: 'BotText', content: 'Great, thanks!' });
  });

  it('resets a session: records ResetSession, tells every tab, closes them, and the cookie then gets a new session', async () => {
    const tabA = await connect();
    await tabA.take(2);
    tabA.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    await tabA.next();
    const tabB = await connect(tabA.sid);
    await tabB.take(4);
    tabA.send({ kind: 'ResetSession' });
    expect(await tabA.next()).toEqual({ kind: 'SessionReset' });
    expect(await tabB.next()).toEqual({ kind: 'SessionReset' });
    expect(await tabA.whenClosed()).toBe(1000);
    expect(await tabB.whenClosed()).toBe(1000);

    const old = await history(t, tabA.sid!);
    expect(old.at(-1)!.record.payload).toEqual({ kind: 'Response', message: { kind: 'ResetSession' } });

    const fresh = await connect(tabA.sid);
    expect(fresh.cookieSet).toBe(true);
    expect(fresh.sid).not.toBe(tabA.sid);
    expect(await fresh.take(2)).toMatchObject([{ kind: 'BotText' }, { kind: 'ChoiceRequest', groupId: 'lang' }]);
    expect((await history(t, tabA.sid!)).length).toBe(old.length);
  });

  it('resets a session that never answered without recording anything; a second tab shares its greeting', async () => {
    const tabA = await connect();
    await tabA.take(2);
    const tabB = await connect(tabA.sid);
    expect(tabB.cookieSet).toBe(false);
    expect(await tabB.take(2)).toMatchObject([{ kind: 'BotText' }, { kind: 'ChoiceRequest', groupId: 'lang' }]);
    tabB.send({ kind: 'ResetSession' });
    expect(await tabA.next()).toEqual({ kind: 'SessionReset' });
    expect(await tabB.next()).toEqual({ kind: 'SessionReset' });
    expect(await tabA.whenClosed()).toBe(1000);
    expect(t.server.stream.endOffset()).toBe(0);
    const fresh = await connect(tabA.sid);
    expect(fresh.cookieSet).toBe(true);
    expect(fresh.sid).not.toBe(tabA.sid);
  });

  it('runs many sessions concurrently, each in order', async () => {
    const many = await Promise.all(Array.from({ length: 40 }, () => connect()));
    await Promise.all(many.map((c) => c.take(2)));
    for (let round = 0; round < 3; round++) {
      for (const c of many) c.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'go', content: 'Go' });
      await Promise.all(many.map(async (c) => expect(await c.next()).toMatchObject({ groupId: 'others' })));
      for (const c of many) c.send({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'yes', content: 'Yes' });
      await Promise.all(many.map(async (c) => expect(await c.next()).toMatchObject({ groupId: 'lang' })));
    }
    const records = await history(t, many[7].sid!);
    expect(records.length).toBe(3 + 3 * 4);
  });
});
