/**
 * What the operator console shows of a session's records: who said what, as plain text (the
 * console renders text only, never HTML). Pure.
 */
import { isPlainObject } from '../../flow/isPlainObject.ts';
import type { StoredRecord } from '../../stream/messageStream.ts';
import { operatorMessageOf } from './operatorRecords.ts';

export interface ConsoleEntry {
  offset: number;
  /** the record's timestamp */
  at: string;
  who: 'bot' | 'visitor' | 'operator' | 'event';
  text: string;
  /** the operator's name (who = operator) */
  name?: string;
}

/** The console line for a record, if it shows one. */
export function consoleEntryOf(stored: StoredRecord): ConsoleEntry | undefined {
  const { record, offset } = stored;
  const entry = (who: ConsoleEntry['who'], text: string, name?: string): ConsoleEntry =>
    name === undefined ? { offset, at: record.timestamp, who, text } : { offset, at: record.timestamp, who, text, name };
  const payload = record.payload;
  if (!payload) return entry('event', 'Conversation started');
  const m: unknown = payload.message;
  if (!isPlainObject(m)) return undefined;
  if (payload.kind === 'Request') {
    switch (m.kind) {
      case 'BotText':
        return entry('bot', String(m.content ?? ''));
      case 'ChoiceRequest': {
        const choices = Array.isArray(m.choices) ? m.choices.map((c) => (isPlainObject(c) ? String(c.content ?? '') : '')).join(' | ') : '';
        return entry('bot', `${String(m.question ?? '')} [${choices}]`);
      }
      case 'StartChatSession':
        return typeof m.chatText === 'string' ? entry('bot', m.chatText) : undefined;
      case 'OperatorHandoff':
        return entry('event', `Asked for a person (queue ${String(m.queue)})${typeof m.text === 'string' ? `: bot said "${m.text}"` : ''}`);
      default:
        return undefined;
    }
  }
  if (payload.kind === 'Response') {
    if (m.kind === 'UserText') return entry('visitor', String(m.content ?? ''));
    if (m.kind === 'ChoiceResponse') return entry('visitor', String(m.content ?? m.itemId ?? ''));
    if (m.kind === 'ResetSession') return entry('event', 'The visitor reset the conversation');
    return undefined;
  }
  const op = operatorMessageOf(record);
  if (!op) return undefined;
  switch (op.kind) {
    case 'OperatorText':
      return entry('operator', op.content, op.name);
    case 'OperatorClaim':
      return entry('event', `${op.name} joined`);
    case 'OperatorUnclaim':
      return entry('event', `${op.name} left; back in the queue`);
    case 'OperatorRelease':
      if (op.reason === 'timeout') return entry('event', 'No operator in time: the bot went on');
      return entry('event', `${op.name ?? 'The operator'} handed back to the bot${op.end ? ' (conversation ended)' : op.resumeAt ? ` at "${op.resumeAt}"` : ''}`);
  }
}
