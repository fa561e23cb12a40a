import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkFlowText } from '../flow/checkFlowText.ts';
import type { Flow } from '../flow/types.ts';
import { FlowRejectedError } from './loadFlow.ts';
import { start } from './start.ts';
import { ARTICLE_FLOW, makeDataDir, startTestServer, type TestServer } from '../testing/testServer.ts';
import { WsTestClient } from '../testing/wsTestClient.ts';

function flowOf(value: unknown): Flow {
  const checked = checkFlowText(JSON.stringify(value, null, 4));
  if (!checked.flow) throw new Error('test flow does not parse');
  return checked.flow;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bot-flow-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function tempDir(): Promise<string> {
  const dir = await makeDataDir();
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function serve(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const t = await startTestServer(options);
  cleanups.push(() => t.stop());
  return t;
}

describe('start() refuses flows that would strand sessions', () => {
  it('rejects a next to a missing state, with the diagnostic and its line', async () => {
    const path = await tempFile('broken.json', JSON.stringify({ hello: { sendRequest: { kind: 'BotText', content: 'Hi' }, next: 'nowhere' } }, null, 4));
    const error = await start({ flowPath: path, port: 0, dataDir: await tempDir() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowRejectedError);
    const diagnostics = (error as FlowRejectedError).diagnostics.filter((d) => d.severity === 'error');
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]).toMatchObject({ state: 'hello', line: expect.any(Number) });
    expect((error as Error).message).toContain('nowhere');
  });

  it('rejects a next loop given as a flow object', async () => {
    const loop = flowOf({ a: { sendRequest: { kind: 'BotText', content: 'A' }, next: 'b' }, b: { sendRequest: { kind: 'BotText', content: 'B' }, next: 'a' } });
    const error = await start({ flow: loop, port: 0, dataDir: await tempDir() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowRejectedError);
    expect((error as FlowRejectedError).diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('refuses the proxy and workflow roles on the embedded log, and bad options', async () => {
    await expect(start({ flowPath: ARTICLE_FLOW, port: 0, role: 'proxy' })).rejects.toThrow(/fluvio/);
    await expect(start({ flowPath: ARTICLE_FLOW, port: 0, role: 'workflow' })).rejects.toThrow(/fluvio/);
    await expect(start({ flowPath: ARTICLE_FLOW, port: 0, allowedOrigins: ['not a url'] })).rejects.toThrow(/not a URL/);
    await expect(start({ flowPath: '/no/such/flow.json', port: 0 })).rejects.toThrow(/no such file/);
  });

  it('says so when the port is taken', async () => {
    const t = await serve();
    await expect(start({ flowPath: ARTICLE_FLOW, port: t.server.port, dataDir: await tempDir() })).rejects.toThrow(/already in use/);
  });
});

describe('a running server', () => {
  it('answers /healthz and serves the widget with types, ETags and security headers, nothing outside it', async () => {
    const t = await serve();
    const health = await fetch(`${t.url}healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const page = await fetch(t.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`ws://${new URL(t.url).host}`);
    expect(await page.text()).toBe(await readFile(new URL('../widget/index.html', import.meta.url), 'utf8'));

    const script = await fetch(`${t.url}widget/assistant.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const etag = script.headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect((await fetch(`${t.url}widget/assistant.js`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await fetch(`${t.url}widget/img/bot.svg`)).headers.get('content-type')).toBe('image/svg+xml');

    for (const path of ['widget/../../package.json', 'widget/%2e%2e/%2e%2e/package.json', 'widget/..%2f..%2fpackage.json', 'widget/%E0%A4%A', 'widget/', 'widget/img', 'package.json', 'widget/nothing.js']) {
      expect((await fetch(`${t.url}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${t.url}widget/assistant.js`, { method: 'POST' })).status).toBe(405);
  });

  it('lets the studio hook answer first', async () => {
    const t = await serve({
      studio: {
        handle(req, res) {
          if (req.url !== '/studio/ping') return false;
          res.writeHead(200, { 'Content-Type': 'text/plain' }).end('pong');
          return true;
        },
      },
    });
    expect(await (await fetch(`${t.url}studio/ping`)).text()).toBe('pong');
    expect((await fetch(t.url)).status).toBe(200);
  });

  it('without a flow, tells new sessions no-flow, then starts them when a flow is set', async () => {
    const t = await serve({ flowPath: undefined });
    const client = await WsTestClient.connect(t.url);
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'no-flow' });
    t.server.setFlow(flowOf(JSON.parse(await readFile(ARTICLE_FLOW, 'utf8'))));
    expect(await client.take(2)).toMatchObject([{ kind: 'BotText' }, { kind: 'ChoiceRequest', groupId: 'lang' }]);
    await client.close();
  });

  it('hot-reloads the flow: sessions keep their pending question and continue with the new flow', async () => {
    const t = await serve();
    const client = await WsTestClient.connect(t.url);
    await client.take(2);
    const article = JSON.parse(await readFile(ARTICLE_FLOW, 'utf8'));
    article.anyOtherChoices.sendRequest.question = 'Anything else?';
    t.server.setFlow(flowOf(article));
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' });
    expect(await client.next()).toMatchObject({ kind: 'ChoiceRequest', groupId: 'others', question: 'Anything else?' });

    // a flow without the pending question: the answer no longer matches anything
    t.server.setFlow(flowOf({ hello: { sendRequest: { kind: 'BotText', content: 'New bot' } } }));
    client.send({ kind: 'ChoiceResponse', groupId: 'others', itemId: 'no', content: 'No' });
    expect(await client.next()).toMatchObject({ kind: 'Error', code: 'no-match' });
    const newcomer = await WsTestClient.connect(t.url);
    expect(await newcomer.next()).toEqual({ kind: 'BotText', content: 'New bot' });
    await Promise.all([client.close(), newcomer.close()]);
  });

  it('resumes sessions after a restart from the stream alone', async () => {
    const dir = await tempDir();
    const first = await startTestServer({}, dir);
    const client = await WsTestClient.connect(first.url);
    await client.take(2);
    client.send({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other', content: 'Other' });
    await client.next();
    await client.close();
    await first.stop();

    const second = await startTestServer({}, dir);
    cleanups.push(() => second.stop());
    const again = await WsTestClient.connect(second.url, { sid: client.sid });
    expect(again.cookieSet).toBe(false);
    expect((await again.take(4)).map((f) => f.kind)).toEqual(['BotText', 'ChoiceRequest', 'ChoiceResponse', 'StartChatSession']);
    again.send({ kind: 'UserText', sessionId: 'langPreference', content: 'OCaml' });
    expect(await again.take(2)).toMatchObject([{ kind: 'EndChatSession' }, { kind: 'ChoiceRequest', groupId: 'others' }]);
    await again.close();
  });
});
