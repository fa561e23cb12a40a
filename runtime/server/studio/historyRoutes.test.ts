import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSessionHistory, type SessionHistory } from '../../history/sessionHistory.ts';
import { openEmbeddedLog, type EmbeddedLog } from '../../stream/EmbeddedLog.ts';
import { createStudioHost } from '../studioHost.ts';

const TOKEN = 'test-token-0123456789abcdef';
const FLOW = '{"start": {"sendRequest": {"kind": "BotText", "content": "Hi"}}, "unused": {"sendRequest": {"kind": "BotText", "content": "?"}}}';

let root: string;
let log: EmbeddedLog;
let history: SessionHistory;
let server: http.Server;
let port: number;

async function request(method: string, urlPath: string, options: { body?: unknown; token?: string | null } = {}): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = { Host: `127.0.0.1:${port}` };
  if (options.token !== null) headers['X-Studio-Token'] = options.token ?? TOKEN;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`http://127.0.0.1:${port}${urlPath}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  return { status: response.status, json: await response.json() };
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'history-routes-'));
  await mkdir(path.join(root, 'workspace'));
  log = await openEmbeddedLog({ dir: path.join(root, 'data'), logger: { info() {}, warn() {} } });
  await log.append([
    { sid: 'a/b c', timestamp: '2024-05-01T10:00:00.000', preview: true },
    { sid: 'a/b c', payload: { kind: 'Request', message: { kind: 'BotText', content: 'Hi' } }, timestamp: '2024-05-01T10:00:00.000', state: 'start' },
  ]);
  history = openSessionHistory(log);
  const host = createStudioHost({ workspace: path.join(root, 'workspace'), staticDir: root, token: TOKEN, history: () => history });
  server = http.createServer((req, res) => void host.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  history.close();
  await log.close();
  await rm(root, { recursive: true, force: true });
});

describe('history endpoints of the studio host API', () => {
  it('lists, opens and covers sessions behind the token', async () => {
    expect((await request('GET', '/studio/api/sessions', { token: null })).status).toBe(403);
    const page = await request('GET', '/studio/api/sessions?kind=preview&limit=5');
    expect(page.status).toBe(200);
    expect(page.json).toMatchObject({ total: 1, nextCursor: null, sessions: [{ sid: 'a/b c', kind: 'preview', state: 'start', endedAtFinal: true }] });
    const transcript = await request('GET', `/studio/api/sessions/${encodeURIComponent('a/b c')}`);
    expect(transcript.json.entries.map((e: { kind: string }) => e.kind)).toEqual(['start', 'request']);
    const coverage = await request('POST', '/studio/api/coverage', { body: { flowText: FLOW, sids: 'all' } });
    expect(coverage.json).toMatchObject({ sessions: 1, reachedEnd: 1, neverVisited: ['unused'] });
    const previews = await request('POST', '/studio/api/coverage', { body: { flowText: FLOW, filter: { kind: 'preview', query: '' } } });
    expect(previews.json).toMatchObject({ sessions: 1, reachedEnd: 1 });
    const reals = await request('POST', '/studio/api/coverage', { body: { flowText: FLOW, filter: { kind: 'real' } } });
    expect(reals.json).toMatchObject({ sessions: 0, reachedEnd: 0 });
  });

  it('answers bad requests with the status and a message that says what to fix', async () => {
    expect(await request('GET', '/studio/api/sessions?limit=lots')).toEqual({ status: 400, json: { error: 'limit must be a whole number from 1 to 500, got "lots".' } });
    expect(await request('GET', '/studio/api/sessions/nobody')).toEqual({ status: 404, json: { error: 'No recorded session has the id "nobody".' } });
    expect((await request('POST', '/studio/api/coverage', { body: { flowText: FLOW, sids: 'some' } })).json.error).toMatch(/"sids": an array of session ids, or "all"/);
    expect((await request('POST', '/studio/api/coverage', { body: { sids: 'all' } })).status).toBe(400);
    expect(await request('POST', '/studio/api/coverage', { body: { flowText: FLOW, filter: { state: 'x' } } })).toEqual({ status: 400, json: { error: 'POST coverage: "filter.state" is not a filter field (query, from, to, kind, flow).' } });
    expect((await request('POST', '/studio/api/coverage', { body: { flowText: FLOW, sids: 'all', filter: {} } })).json.error).toBe('POST coverage takes "sids" or "filter", not both.');
    expect((await request('POST', '/studio/api/coverage', { body: { flowText: FLOW, filter: { kind: 'bots' } } })).json.error).toMatch(/kind must be "preview" or "real"/);
  });
});
