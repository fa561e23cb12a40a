/**
 * The stream records the runtime writes, in the article's shape (`{sid, payload?, timestamp}`,
 * keys in that order), and the frame a record becomes on a widget's socket.
 */
import type { RequestMessage } from '../flow/types.ts';
import type { Payload, StreamRecord } from '../stream/messageStream.ts';
import { requestPayloadOf } from '../stream/recordJson.ts';
import type { ClientFrame } from './frames.ts';
import { operatorWidgetFrame } from './operator/operatorRecords.ts';
import { messageFrame } from './requestFrames.ts';

type ResponsePayload = Extract<Payload, { kind: 'Response' }>;

/**
 * Tags a start marker may carry after the article's fields (consumers written for the original
 * ignore them): `flowHash` of the flow the session runs, `flow`: the name of the flow file it runs
 * (the studio's file name, so its history is per flow even as the content changes), and
 * `preview: true` for studio previews.
 */
export interface StartTags {
  flowHash?: string;
  flow?: string;
  preview?: boolean;
}

/** The record that starts a session: no payload, then its tags. */
export function startRecord(sid: string, timestamp: string, tags: StartTags = {}): StreamRecord {
  const record: StreamRecord = { sid, timestamp };
  if (tags.preview) record.preview = true;
  if (tags.flowHash !== undefined) record.flowHash = tags.flowHash;
  if (tags.flow !== undefined) record.flow = tags.flow;
  return record;
}

/** A bot request sent to the session; `state` names the state whose sendRequest it is, when known. */
export function requestRecord(sid: string, message: RequestMessage, timestamp: string, state?: string): StreamRecord {
  const record: StreamRecord = { sid, payload: requestPayloadOf(message), timestamp };
  if (state !== undefined) record.state = state;
  return record;
}

/** What the user sent (ChoiceResponse, UserText or ResetSession); `resumedAt` is the state whose matchResponse answered it, when known. */
export function responseRecord(sid: string, message: ClientFrame, timestamp: string, resumedAt?: string): StreamRecord {
  // The frame interfaces have no index signature; the stream's payload type has one.
  const record: StreamRecord = { sid, payload: { kind: 'Response', message: message as unknown as ResponsePayload['message'] }, timestamp };
  if (resumedAt !== undefined) record.resumedAt = resumedAt;
  return record;
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
  if (payload.kind === 'Request') return messageFrame(payload.message);
  if (payload.kind === 'Operator') return operatorWidgetFrame(payload.message); // operator hook (issue 14)
  const kind = payload.message.kind;
  return kind === 'ChoiceResponse' || kind === 'UserText' ? JSON.stringify(payload.message) : undefined;
}
