/**
 * A real studio host over a temp folder, for the host's API tests: a workspace with two flows (one
 * with a layout sidecar, one in a subfolder), files the API must not list (hidden, not JSON), a
 * folder and a file outside the workspace, and a built page with one asset; served on a free port.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createStudioHost } from '../server/studioHost.ts';

export const TOKEN = 'test-token-0123456789abcdef';

/** The workspace's `a.json`, byte for byte. */
export const FLOW = '{\n    "start": {\n        "sendRequest": {\n            "kind": "BotText",\n            "content": "Hi"\n        }\n    }\n}\n';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

export interface RequestOptions {
  /** JSON body; a PUT without `baseVersion` gets `baseVersion: null` (overwrite) */
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** the X-Studio-Token header: TOKEN by default, null for none */
  token?: string | null;
}

export type StudioRequest = (method: string, urlPath: string, options?: RequestOptions) => Promise<Reply>;

export interface StudioHostFixture {
  /** the temp folder: `workspace/`, `outside/`, `static/` and a `secret.json` */
  root: string;
  workspace: string;
  outside: string;
  port: number;
  /** a request to the host, with the token unless `token: null` */
  request: StudioRequest;
  close(): Promise<void>;
}

export async function startStudioHostFixture(): Promise<StudioHostFixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'studio-host-'));
  const workspace = path.join(root, 'workspace');
  const outside = path.join(root, 'outside');
  const staticDir = path.join(root, 'static');
  await mkdir(path.join(workspace, 'more'), { recursive: true });
  await mkdir(outside);
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
  await writeFile(path.join(staticDir, 'assets', 'main-abc.js'), 'console.log(1)');
  await writeFile(path.join(root, 'secret.json'), '{"secret": true}');
  await writeFile(path.join(outside, 'secret.json'), '{"secret": true}');
  await writeFile(path.join(workspace, 'a.json'), FLOW);
  await writeFile(path.join(workspace, 'a.layout.json'), JSON.stringify({ positions: { start: { x: 1, y: 2 } } }));
  await writeFile(path.join(workspace, 'more', 'b.json'), '{}');
  await writeFile(path.join(workspace, '.hidden.json'), '{}');
  await writeFile(path.join(workspace, 'notes.txt'), 'x');

  const host = createStudioHost({ workspace, staticDir, token: TOKEN, maxBodyBytes: 64 * 1024 });
  const server = http.createServer(async (req, res) => {
    if (!(await host.handle(req, res))) {
      res.writeHead(418);
      res.end('not studio');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    root,
    workspace,
    outside,
    port,
    request: (method, urlPath, options = {}) => request(port, method, urlPath, options),
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh fixture for every test of the calling file: the returned object is filled in before each
 * test and its folder removed after it.
 */
export function studioHostPerTest(): StudioHostFixture {
  const current = {} as StudioHostFixture;
  beforeEach(async () => {
    Object.assign(current, await startStudioHostFixture());
  });
  afterEach(() => current.close());
  return current;
}

function request(port: number, method: string, urlPath: string, options: RequestOptions): Promise<Reply> {
  const headers: Record<string, string> = { Host: `127.0.0.1:${port}`, ...options.headers };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers['X-Studio-Token'] = token;
  // Saves name the version they are based on; these tests overwrite (null) unless they say otherwise.
  const body = method === 'PUT' && isObject(options.body) && !('baseVersion' in options.body) ? { ...options.body, baseVersion: null } : options.body;
  const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
