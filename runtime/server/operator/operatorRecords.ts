/**
 * Operator records on the stream (`{sid, payload: {kind: 'Operator', message}, timestamp}`, the
 * article's shape) and the frames the widget is sent for them. Messages are rebuilt from known
 * fields only, so whatever a record holds besides them never reaches a browser.
 */
import { OPERATOR_PAYLOAD, type OperatorMessage, type OperatorRelease } from '../../flow/handoff.ts';
import { isPlainObject } from '../../flow/isPlainObject.ts';
import type { StreamRecord } from '../../stream/messageStream.ts';

/** A record of an operator message for session `sid`. */
export function operatorRecord(sid: string, message: OperatorMessage, timestamp: string): StreamRecord {
  return { sid, payload: { kind: OPERATOR_PAYLOAD, message: { ...message } }, timestamp };
}

/** The operator message a record carries, if it is a well-formed one. */
export function operatorMessageOf(record: StreamRecord): OperatorMessage | undefined {
  const payload = record.payload;
  if (payload?.kind !== OPERATOR_PAYLOAD || !isPlainObject(payload.message)) return undefined;
  const m = payload.message;
  const text = (value: unknown): value is string => typeof value === 'string';
  switch (m.kind) {
    case 'OperatorClaim':
      return text(m.operator) && text(m.name) ? { kind: 'OperatorClaim', operator: m.operator, name: m.name } : undefined;
    case 'OperatorText':
      return text(m.operator) && text(m.name) && text(m.content) ? { kind: 'OperatorText', operator: m.operator, name: m.name, content: m.content } : undefined;
    case 'OperatorUnclaim':
      return text(m.operator) && text(m.name) ? { kind: 'OperatorUnclaim', operator: m.operator, name: m.name, reason: m.reason === 'unclaim' ? 'unclaim' : 'disconnect' } : undefined;
    case 'OperatorRelease':
      return releaseOf(m);
    default:
      return undefined;
  }
}

function releaseOf(m: Record<string, unknown>): OperatorRelease {
  const release: OperatorRelease = { kind: 'OperatorRelease', reason: m.reason === 'timeout' ? 'timeout' : 'released' };
  if (typeof m.operator === 'string') release.operator = m.operator;
  if (typeof m.name === 'string') release.name = m.name;
  if (typeof m.resumeAt === 'string') release.resumeAt = m.resumeAt;
  if (m.end === true) release.end = true;
  return release;
}

/**
 * The frame a widget is sent for an operator message:
 * `OperatorJoined {name}`, `OperatorText {name, content}`, `OperatorLeft {name?, reason}` where
 * reason is `queue` (back to waiting), `released` or `timeout`.
 */
export function operatorWidgetFrame(message: { kind: string; [field: string]: unknown }): string | undefined {
  const m = operatorMessageOf({ sid: '', timestamp: '', payload: { kind: OPERATOR_PAYLOAD, message } });
  if (!m) return undefined;
  switch (m.kind) {
    case 'OperatorClaim':
      return JSON.stringify({ kind: 'OperatorJoined', name: m.name });
    case 'OperatorText':
      return JSON.stringify({ kind: 'OperatorText', name: m.name, content: m.content });
    case 'OperatorUnclaim':
      return JSON.stringify({ kind: 'OperatorLeft', name: m.name, reason: 'queue' });
    case 'OperatorRelease':
      return JSON.stringify(m.name === undefined ? { kind: 'OperatorLeft', reason: m.reason } : { kind: 'OperatorLeft', name: m.name, reason: m.reason });
  }
}
