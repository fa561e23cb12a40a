/**
 * The widget's sources under runtime/widget/src/ are served as one script and one stylesheet:
 * every source file is in the bundle, in its place, and the served bytes are the bundle.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.ts';
import { buildWidgetBundle, WIDGET_SCRIPTS, WIDGET_STYLES } from './widgetBundle.ts';

const SRC = fileURLToPath(new URL('../widget/src/', import.meta.url));
const source = (name: string) => readFile(`${SRC}${name}`, 'utf8');

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('the widget bundle', () => {
  it('lists every source file once, and only files that exist', async () => {
    const files = await readdir(SRC);
    expect([...WIDGET_SCRIPTS].sort()).toEqual(files.filter((f) => f.endsWith('.js')).sort());
    expect([...WIDGET_STYLES].sort()).toEqual(files.filter((f) => f.endsWith('.css')).sort());
  });

  it('joins the scripts, in order, into one classic script that parses and keeps its names to itself', async () => {
    const script = (await buildWidgetBundle(SRC)).get('assistant.js')!.body.toString('utf8');
    let at = 0;
    for (const name of WIDGET_SCRIPTS) {
      const body = (await source(name)).replace(/^\/\/ @ts-check\n/, '');
      const found = script.indexOf(body, at);
      expect(found, `${name} is in assistant.js after the files before it`).toBeGreaterThanOrEqual(at);
      at = found + body.length;
    }
    expect(() => new Script(script, { filename: 'assistant.js' })).not.toThrow();
    // One function wraps everything: the page sees window.BotAssistant and no other global.
    expect(script).toMatch(/^\/\*[\s\S]*?\*\/\n\(function \(\) \{\n'use strict';\n/);
    expect(script.endsWith('\n})();\n')).toBe(true);
  });

  it('joins the stylesheets in cascade order', async () => {
    const css = (await buildWidgetBundle(SRC)).get('assistant.css')!.body.toString('utf8');
    expect(css).toBe((await Promise.all(WIDGET_STYLES.map(source))).join('\n'));
  });

  it('is what the server serves at /widget/assistant.js and /widget/assistant.css, revalidated by ETag', async () => {
    server = await startTestServer();
    const bundle = await buildWidgetBundle(SRC);
    for (const [name, type] of [['assistant.js', 'text/javascript; charset=utf-8'], ['assistant.css', 'text/css; charset=utf-8']] as const) {
      const response = await fetch(`${server.url}widget/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(Buffer.from(await response.arrayBuffer()).equals(bundle.get(name)!.body), name).toBe(true);
      const etag = response.headers.get('etag')!;
      expect(etag).toBe(bundle.get(name)!.etag);
      expect((await fetch(`${server.url}widget/${name}`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
      const head = await fetch(`${server.url}widget/${name}`, { method: 'HEAD' });
      expect(head.headers.get('content-length')).toBe(String(bundle.get(name)!.body.length));
    }
  });

  it('says which file is missing when a source cannot be read', async () => {
    await expect(buildWidgetBundle('/no/such/widget/src')).rejects.toThrow(/types\.js/);
  });
});
