/**
 * The main process as composed in main.ts, bundled as for `npm start` but with `electron` replaced by
 * a recording stand-in (fakeElectron.fixture.mjs): it starts the real runtime, loads the studio from
 * it in a locked-down window, validates IPC and shuts the runtime down before quitting.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
// Two levels under the root, like dist/electron/main.mjs, so main finds the root the same way.
const outDir = path.join(ROOT, 'dist', `.electron-main-test-${process.pid}`);
let home: string;

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'studio-main-'));
  await build({
    entryPoints: [path.join(ROOT, 'electron', 'main.ts')],
    outfile: path.join(outDir, 'main.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    alias: { electron: path.join(ROOT, 'electron', 'fakeElectron.fixture.mjs') },
    logLevel: 'warning',
  });
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

/** Drives the bundled main in a child Node and reports what it did. */
const DRIVER = `
const state = () => globalThis.__electronFake;
const until = async (check, what) => {
  for (let i = 0; i < 400; i++) { if (check()) return; await new Promise((r) => setTimeout(r, 25)); }
  throw new Error('timed out waiting for ' + what + '; errors: ' + JSON.stringify(state()?.errors));
};
await import(process.env.MAIN_URL);
await until(() => state().windows[0]?.url, 'the studio to load');
const win = state().windows[0];
const trusted = { senderFrame: { url: win.url } };
const call = (channel, event, ...args) => Promise.resolve().then(() => state().handlers.get(channel)(event, ...args)).then(
  (value) => ({ value }), (error) => ({ error: error.message }));
const navigation = { prevented: false };
win.webContents.emit('will-navigate', { url: 'https://example.com/help', preventDefault() { navigation.prevented = true; } });
let cspHeaders;
state().csp.listener({ url: win.url, responseHeaders: {} }, (r) => { cspHeaders = r.responseHeaders; });
const exchange = await fetch(win.url, { redirect: 'manual' });
const cookie = (exchange.headers.get('set-cookie') ?? '').split(';')[0];
const page = await fetch(new URL(exchange.headers.get('location') ?? '/', win.url), { headers: { cookie } });
const anonymous = await fetch(new URL('/studio/', win.url));
const anonymousPreview = await fetch(new URL('/preview/', win.url));
const token = new URL(win.url).searchParams.get('token');
// The sandboxed preview frame's way in: the preview token from the studio page, in the address, no cookie.
const pageText = page.status === 200 ? await page.text() : '';
const previewToken = /<meta name="preview-access" content="([0-9a-f]{64})">/.exec(pageText)?.[1];
const framed = previewToken && await fetch(new URL('/preview/?access=' + previewToken, win.url));
const previewFrame = framed && { status: framed.status, csp: framed.headers.get('content-security-policy'), body: await framed.text() };
const wrongPreviewToken = (await fetch(new URL('/preview/?access=' + '0'.repeat(64), win.url))).status;
const launchTokenAsPreviewToken = (await fetch(new URL('/preview/?access=' + token, win.url))).status;
const api = await fetch(new URL('/studio/api/flows', win.url), { headers: { 'X-Studio-Token': token, cookie } });
const result = {
  url: win.url,
  webPreferences: win.options.webPreferences,
  exchange: { status: exchange.status, location: exchange.headers.get('location'), cookie: exchange.headers.get('set-cookie') },
  pageStatus: page.status,
  anonymousStatus: anonymous.status,
  anonymousPreviewStatus: anonymousPreview.status,
  previewToken, previewFrame, wrongPreviewToken, launchTokenAsPreviewToken,
  api: { status: api.status, body: await api.json() },
  channels: [...state().handlers.keys()].sort(),
  runtimeUrl: await call('studio:runtimeUrl', trusted),
  relativeOpen: await call('studio:openFlow', trusted, 'flows/a.json'),
  untrusted: await call('studio:listFlows', { senderFrame: { url: 'https://evil.example/' } }),
  openedAtStart: state().sent.filter(([channel]) => channel === 'studio:openFile'),
  openGiven: await call('studio:openFlow', trusted, process.env.GIVEN_FILE),
  listFlows: await call('studio:listFlows', trusted),
  navigationPrevented: navigation.prevented,
  windowOpen: win.webContents.openHandler({ url: 'file:///etc/passwd' }),
  external: state().external,
  csp: cspHeaders['Content-Security-Policy'],
  cspFilter: state().csp.filter,
  cameraAllowed: state().permissionCheck(null, 'media'),
  menu: state().menus.at(-1).map((m) => m.label ?? m.role),
};
state().app.quit();
result.heldForRuntime = !state().exited;
await until(() => state().exited, 'the quit to finish');
result.quitCalls = state().quitCalls;
result.healthAfterQuit = await fetch(new URL('/healthz', result.runtimeUrl.value)).then((r) => r.status, () => 'refused');
console.log('RESULT ' + JSON.stringify(result));
process.exit(0);
`;

function runDriver(given: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // The flow file after the script is what a user passes on the command line.
    const child = spawn(process.execPath, ['--input-type=module', '-e', DRIVER, given], {
      cwd: ROOT,
      env: {
        ...process.env,
        FAKE_ELECTRON_HOME: home,
        GIVEN_FILE: given,
        MAIN_URL: pathToFileURL(path.join(outDir, 'main.mjs')).href,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('exit', () => {
      clearTimeout(timer);
      const json = /RESULT (\{.*\})/.exec(output)?.[1];
      if (json) resolve(json);
      else reject(new Error(`the driver reported nothing; output:\n${output}`));
    });
  });
}

describe('main process composition (Electron stand-in)', () => {
  it('serves the studio from the embedded runtime in a locked-down window and closes the runtime before quitting', async () => {
    const given = path.join(home, 'given.json');
    await writeFile(given, '{"hello": {}}');
    const result = JSON.parse(await runDriver(given));
    expect(result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/studio\/\?token=[0-9a-f]{64}$/);
    // The window's address trades its token for a cookie; without it, nothing is served.
    expect(result.exchange).toMatchObject({ status: 303, location: '/studio/' });
    expect(result.exchange.cookie).toMatch(/^studio-access-\d+=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(result.anonymousStatus).toBe(401);
    expect(result.anonymousPreviewStatus).toBe(401);
    // The desktop has no workspace over HTTP, even for the token's holder: its window uses IPC.
    expect(result.api).toEqual({ status: 404, body: { error: 'This studio has no HTTP host API: the desktop app reaches its files over IPC.' } });
    expect(result.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(result.webPreferences.preload).toBe(path.join(ROOT, 'dist', 'electron', 'preload.cjs'));
    expect([200, 500]).toContain(result.pageStatus); // 500 only before `npm run build`
    // The preview frame is sandboxed; its address carries a preview token, which is not the launch token.
    expect(result.wrongPreviewToken).toBe(401);
    expect(result.launchTokenAsPreviewToken).toBe(401);
    if (result.pageStatus === 200) {
      expect(result.previewToken).toMatch(/^[0-9a-f]{64}$/);
      expect(result.previewToken).not.toBe(new URL(result.url).searchParams.get('token'));
      expect(result.previewFrame.status).toBe(200);
      expect(result.previewFrame.csp).toMatch(/^sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox;/);
      expect(result.previewFrame.body).toContain(`/preview-socket?access=${result.previewToken}`);
    }
    expect(result.channels).toContain('studio:saveFlow');
    expect(result.runtimeUrl.value).toBe(new URL('/', result.url).href);
    expect(result.relativeOpen.error).toMatch(/openFlow: argument 1 \(ref\) must be an absolute path/);
    expect(result.untrusted.error).toMatch(/refused, the request came from https:\/\/evil\.example\//);
    expect(result.openedAtStart).toEqual([['studio:openFile', given]]);
    expect(result.openGiven.value).toMatchObject({ ref: given, displayName: 'given.json', text: '{"hello": {}}', layout: null });
    expect(result.listFlows.value.map((f: { ref: string }) => f.ref)).toEqual([given]);
    expect(result.navigationPrevented).toBe(true);
    expect(result.windowOpen).toEqual({ action: 'deny' });
    expect(result.external).toEqual(['https://example.com/help']);
    expect(result.csp[0]).toContain("script-src 'self'");
    expect(result.cspFilter.urls[0]).toBe(`${new URL(result.url).origin}/studio/*`);
    expect(result.cameraAllowed).toBe(false);
    expect(result.menu).toEqual(process.platform === 'darwin'
      ? ['Bot Assistant Studio', '&File', '&Edit', '&View', 'windowMenu', '&Help']
      : ['&File', '&Edit', '&View', '&Help']);
    expect(result.heldForRuntime).toBe(true);
    expect(result.quitCalls).toBe(2);
    expect(result.healthAfterQuit).toBe('refused');
  });
});
