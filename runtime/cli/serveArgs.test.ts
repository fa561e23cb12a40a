import { describe, expect, it } from 'vitest';
import { parseServeArgs } from './serveCommand.ts';
import { UsageError } from './UsageError.ts';

describe('serve limit flags', () => {
  it('reads the per-client limits, --trust-proxy and --cookie-compat', () => {
    const args = parseServeArgs([
      'flow.json',
      '--max-frames-per-second', '5',
      '--frame-burst=12',
      '--max-sockets-per-address', '0',
      '--max-new-sessions-per-minute', '30',
      '--max-buffered-bytes', '65536',
      '--slow-socket-ms', '2000',
      '--trust-proxy',
      '--cookie-compat',
    ]);
    expect(args).toMatchObject({
      limits: { framesPerSecond: 5, frameBurst: 12, socketsPerAddress: 0, newSessionsPerMinute: 30, maxBufferedBytes: 65536, slowSocketMs: 2000, trustProxy: true },
      cookieCompat: true,
    });
  });

  it('leaves the defaults to the runtime when no limit flag is given', () => {
    expect(parseServeArgs(['flow.json'])).toMatchObject({ limits: {}, cookieCompat: false });
  });

  it('refuses a bad limit with one clear line', () => {
    expect(() => parseServeArgs(['flow.json', '--max-frames-per-second', '0'])).toThrow(new UsageError('--max-frames-per-second must be between 1 and 1000000 (got 0)'));
    expect(() => parseServeArgs(['flow.json', '--frame-burst', 'lots'])).toThrow(/--frame-burst must be a whole number/);
    expect(() => parseServeArgs(['flow.json', '--trust-proxy=yes'])).toThrow(/--trust-proxy takes no value/);
  });
});

describe('serve arguments that are easy to get wrong', () => {
  it('takes --keep-versions-days alone (it used to swallow the next option too, or set the frame rate)', () => {
    expect(parseServeArgs(['flow.json', '--keep-versions-days', '30', '--port', '9000'])).toMatchObject({ keepVersionsDays: 30, port: 9000, limits: {} });
    expect(parseServeArgs(['flow.json', '--keep-versions-days=7'])).toMatchObject({ keepVersionsDays: 7, limits: {} });
  });

  it('refuses an empty value, a short option and a value given to a flag, saying which', () => {
    expect(() => parseServeArgs(['flow.json', '--data-dir', ''])).toThrow(new UsageError('--data-dir is empty: give it a value'));
    expect(() => parseServeArgs(['flow.json', '--data-dir='])).toThrow(new UsageError('--data-dir is empty: give it a value'));
    expect(() => parseServeArgs(['flow.json', '-p', '5603'])).toThrow(new UsageError('unknown option -p (options are spelt out: --port, --host, …)'));
    expect(() => parseServeArgs(['flow.json', '--watch', 'yes'])).toThrow(new UsageError('--watch takes no value (got "yes")'));
    expect(() => parseServeArgs(['a.json', 'b.json'])).toThrow(new UsageError('unexpected argument "b.json": serve takes one flow file (already given: a.json)'));
  });
});
