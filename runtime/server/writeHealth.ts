/**
 * Whether the stream takes writes, for `/healthz`: watches every append the runtime makes. An append
 * that fails marks the stream failing (with the reason); the next one that succeeds, or a successful
 * write probe (`MessageStream.probeWrite`, tried at most once a second by `check`), marks it healthy
 * again. The probe matters because a load balancer stops sending traffic to a failing server, so no
 * real append would come to show the disk is back.
 */
import type { MessageStream, StreamRecord } from '../stream/messageStream.ts';
import { describeError } from '../describeError.ts';

export type WriteHealth = { ok: true } | { ok: false; reason: string; since: string };

const PROBE_INTERVAL_MS = 1000;

export interface WatchedStream {
  /** the stream to hand to the services: the same stream, with appends observed */
  stream: MessageStream;
  /** the current write health (probes the stream when it was failing and may have recovered) */
  check(): Promise<WriteHealth>;
}

/** Wraps `stream` so its appends' outcomes set the write health. */
export function watchWrites(inner: MessageStream, clock: () => Date = () => new Date()): WatchedStream {
  let failure: { reason: string; since: string } | undefined;
  let lastProbe = 0;
  let probing: Promise<void> | undefined;
  const succeeded = () => {
    failure = undefined;
  };
  const failed = (error: unknown) => {
    failure = { reason: describeError(error), since: failure?.since ?? clock().toISOString() };
  };
  const stream: MessageStream = {
    append(records: StreamRecord[]) {
      const appended = inner.append(records);
      appended.then(succeeded, failed);
      return appended;
    },
    hasSession: (sid) => inner.hasSession(sid),
    readSession: (sid, options) => inner.readSession(sid, options),
    read: (offset, limit) => inner.read(offset, limit),
    endOffset: () => inner.endOffset(),
    subscribe: (listener) => inner.subscribe(listener),
    sessions: () => inner.sessions(),
    close: () => inner.close(),
    probeWrite: inner.probeWrite && (() => inner.probeWrite!()),
  };
  return {
    stream,
    async check() {
      if (failure && inner.probeWrite && Date.now() - lastProbe >= PROBE_INTERVAL_MS) {
        lastProbe = Date.now();
        probing ??= inner
          .probeWrite()
          // A failed probe keeps the append's reason: it says which file and why.
          .then(succeeded, () => {})
          .finally(() => {
            probing = undefined;
          });
      }
      await probing;
      return failure ? { ok: false, ...failure } : { ok: true };
    },
  };
}
