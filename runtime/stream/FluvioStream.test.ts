import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectError, fluvioErrorText } from './describeFluvioError.ts';
import { openFluvioStream, parseEndpoint } from './FluvioStream.ts';
import type { StoredRecord, StreamLogger } from './MessageStream.ts';
import { describeMessageStreamContract } from './messageStreamContract.ts';

const logger: StreamLogger = { info: () => {}, warn: (message) => console.warn(message) };
const clusterConfigured = Boolean(process.env.FLUVIO_ENDPOINT) || existsSync(join(homedir(), '.fluvio', 'config'));
const notRun = 'Fluvio contract tests not run: no cluster configured (set FLUVIO_ENDPOINT or create a fluvio profile)';
if (!clusterConfigured) console.log(notRun);

describe.skipIf(!clusterConfigured)(clusterConfigured ? 'Fluvio contract tests (against a real cluster)' : notRun, () => {
  describeMessageStreamContract(
    'fluvio',
    () => openFluvioStream({ logger }),
    () => openFluvioStream({ logger }),
  );

  it('delivers to subscribers the records another producer appends', async () => {
    const [a, b] = await Promise.all([openFluvioStream({ logger }), openFluvioStream({ logger })]);
    try {
      const sid = `cross-${Date.now()}-${Math.random()}`;
      const seen: StoredRecord[] = [];
      b.subscribe((records) => seen.push(...records.filter((stored) => stored.record.sid === sid)));
      await a.append([{ sid, timestamp: '2021-01-05T17:58:46.511' }]);
      const deadline = Date.now() + 10_000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen.map((stored) => stored.record)).toEqual([{ sid, timestamp: '2021-01-05T17:58:46.511' }]);
      expect(b.hasSession(sid)).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('fluvio: connection errors (real client, no cluster)', () => {
  it('gives one clear Error when nothing listens at the endpoint', async () => {
    const port = await closedPort();
    const error = await openFluvioStream({ endpoint: `127.0.0.1:${port}`, logger }).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`fluvio: cannot connect to 127.0.0.1:${port}: connection refused. Start a cluster or set FLUVIO_ENDPOINT / a fluvio profile.`);
  });

  it('uses FLUVIO_ENDPOINT when no endpoint is passed', async () => {
    const port = await closedPort();
    const saved = process.env.FLUVIO_ENDPOINT;
    process.env.FLUVIO_ENDPOINT = `127.0.0.1:${port}`;
    try {
      await expect(openFluvioStream({ logger })).rejects.toThrow(`fluvio: cannot connect to 127.0.0.1:${port}: connection refused.`);
    } finally {
      if (saved === undefined) delete process.env.FLUVIO_ENDPOINT;
      else process.env.FLUVIO_ENDPOINT = saved;
    }
  });

  it.skipIf(clusterConfigured)('says no cluster is configured when there is no endpoint and no profile', async () => {
    const home = mkdtempSync(join(tmpdir(), 'fluvio-home-'));
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      await expect(openFluvioStream({ logger })).rejects.toThrow(
        'fluvio: no cluster configured (the fluvio config has no active profile). Start a cluster or set FLUVIO_ENDPOINT / a fluvio profile.',
      );
    } finally {
      process.env.HOME = saved;
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('rejects an endpoint that is not host:port', () => {
    expect(() => parseEndpoint('localhost')).toThrow('fluvio: the endpoint must be host:port (like 127.0.0.1:9003), got "localhost"');
    expect(() => parseEndpoint('h:99999')).toThrow(/must be host:port/);
    expect(parseEndpoint('fluvio.example:9003')).toEqual({ host: 'fluvio.example', port: 9003 });
  });

  it("turns the client's array rejections into text", () => {
    expect(fluvioErrorText(['Socket io Connection refused (os error 111)', "can't connect"])).toBe("Socket io Connection refused (os error 111); can't connect");
    expect(fluvioErrorText(new Error('boom'))).toBe('boom');
    expect(connectError(['Socket io failed to lookup address information: Name or service not known'], 'nowhere.invalid:9003').message).toBe(
      'fluvio: cannot connect to nowhere.invalid:9003: unknown host. Start a cluster or set FLUVIO_ENDPOINT / a fluvio profile.',
    );
  });
});
