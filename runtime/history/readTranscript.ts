/**
 * One session's records as a transcript, read through the stream's per-session index (no scan).
 */
import type { MessageStream, StreamRecord } from '../stream/messageStream.ts';
import type { SessionKind, Transcript, TranscriptEntry } from './historyTypes.ts';
import { HistoryInputError } from './HistoryInputError.ts';

/** The transcript of `sid`; HistoryInputError (404) when the stream has no such session. */
export async function readTranscript(stream: MessageStream, sid: string): Promise<Transcript> {
  if (!stream.hasSession(sid)) throw new HistoryInputError(`No recorded session has the id ${JSON.stringify(sid)}.`, 404);
  const entries: TranscriptEntry[] = [];
  let kind: SessionKind = 'real';
  let flowHash: string | null = null;
  let flow: string | null = null;
  for await (const chunk of stream.readSession(sid, { chunkSize: 1024 })) {
    for (const { offset, record } of chunk) {
      if (!record.payload) {
        if (record.preview === true) kind = 'preview';
        if (typeof record.flowHash === 'string') flowHash = record.flowHash;
        if (typeof record.flow === 'string') flow = record.flow;
      }
      entries.push(entryOf(offset, record));
    }
  }
  return { sid, kind, flowHash, flow, entries };
}

function entryOf(offset: number, record: StreamRecord): TranscriptEntry {
  const { timestamp, payload } = record;
  if (!payload) return { offset, timestamp, kind: 'start' };
  if (payload.kind === 'Request') {
    const entry: TranscriptEntry = { offset, timestamp, kind: 'request', message: payload.message };
    if (typeof record.state === 'string') entry.state = record.state;
    return entry;
  }
  if (payload.kind === 'Operator') return { offset, timestamp, kind: 'operator', message: payload.message };
  const entry: TranscriptEntry = { offset, timestamp, kind: payload.message.kind === 'ResetSession' ? 'reset' : 'response', message: payload.message };
  if (typeof record.resumedAt === 'string') entry.resumedAt = record.resumedAt;
  return entry;
}
