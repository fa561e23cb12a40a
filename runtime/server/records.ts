/**
 * The stream records the runtime writes, in the article's shape (`{sid, payload?, timestamp}`,
 * keys in that order), and the frame a record becomes on a widget's socket.
 */
import type { RequestMessage } from '../flow/types.ts';
import type { Payload, StreamRecord } from '../stream/MessageStream.ts';
import type { ClientFrame } from './frames.ts';

type ResponsePayload = Extract<Payload, { kind: 'Response' }>;

/** The record that starts a session: no payload. */
export function startRecord(sid: string, timestamp: string): StreamRecord {
  return { sid, timestamp };
}

/** A bot request sent to the session. */
export function requestRecord(sid: string, message: RequestMessage, timestamp: string): StreamRecord {
  return { sid, payload: { kind: 'Request', message }, timestamp };
}

/** What the user sent (ChoiceResponse, UserText or ResetSession). */
export function responseRecord(sid: string, message: ClientFrame, timestamp: string): StreamRecord {
  // The frame interfaces have no index signature; the stream's payload type has one.
  return { sid, payload: { kind: 'Response', message: message as unknown as ResponsePayload['message'] }, timestamp };
}

/** Is this record a user's reset of its session? */
export function isResetRecord(record: StreamRecord): boolean {
  return record.payload?.kind === 'Response' && record.payload.message.kind === 'ResetSession';
}

/**
 * The frame a widget is sent for a record, or undefined when the widget never sees it: bot
 * requests, and the user's own answers (shown as the user's message, as the article's widget
 * expects on replay and in other tabs). Start markers, resets and anything else stay server-side.
 */
export function widgetFrameOf(record: StreamRecord): string | undefined {
  const payload = record.payload;
  if (!payload) return undefined;
  if (payload.kind === 'Request') return JSON.stringify(payload.message);
  const kind = payload.message.kind;
  return kind === 'ChoiceResponse' || kind === 'UserText' ? JSON.stringify(payload.message) : undefined;
}
