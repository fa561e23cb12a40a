/**
 * The operator console's websocket: one per open console page, signed in as one operator.
 * Server → console: `hello`, `conversations` (the list on connect), `conversation`, `gone`,
 * `transcript` (with the states the conversation may resume at), `entry`, `done` (an action worked), `refused` (it did not, and why).
 * Console → server: `open`, `claim`, `say`, `release` (with `resume`: `{at}`, `{back: true}` or `{end: true}`).
 */
import { WebSocket, type RawData } from 'ws';
import { isPlainObject } from '../../flow/isPlainObject.ts';
import { describeError } from '../../describeError.ts';
import type { Logger } from '../logger.ts';
import { isVisibleTo, type OperatorIdentity } from './conversations.ts';
import type { ActionResult, OperatorService, Resume } from './OperatorService.ts';

/** Conversations a console may have open at once (each gets its live lines). */
const MAX_OPEN = 50;

export function serveConsoleSocket(ws: WebSocket, operator: OperatorIdentity, service: OperatorService, logger: Logger): void {
  const open = new Set<string>();
  const visible = new Set<string>();
  const send = (message: unknown): void => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  };
  const detach = service.attach(operator.id);
  const unwatch = service.watch((event) => {
    if (event.type === 'entry') {
      if (open.has(event.sid)) send(event);
    } else if (event.type === 'gone') {
      open.delete(event.sid);
      if (visible.delete(event.sid)) send(event);
    } else if (isVisibleTo(operator, event.conversation)) {
      visible.add(event.conversation.sid);
      send(event);
    } else if (visible.delete(event.conversation.sid)) {
      open.delete(event.conversation.sid);
      send({ type: 'gone', sid: event.conversation.sid });
    }
  });
  ws.on('close', () => {
    unwatch();
    detach();
  });
  ws.on('error', (error) => logger.warn(`operator console ${operator.id}: ${error.message}`));
  ws.on('message', (data: RawData, isBinary: boolean) => {
    void handle(data, isBinary).catch((error: unknown) => {
      logger.error(`operator console ${operator.id}: ${describeError(error)}`);
      send({ type: 'refused', code: 'internal', message: 'That did not work: try again.' });
    });
  });

  const list = service.list(operator);
  for (const c of list) visible.add(c.sid);
  send({ type: 'hello', operator: { id: operator.id, name: operator.name, queues: operator.queues }, states: service.stateNames() });
  send({ type: 'conversations', list });

  async function handle(data: RawData, isBinary: boolean): Promise<void> {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      message = undefined;
    }
    if (!isPlainObject(message) || typeof message.type !== 'string' || typeof message.sid !== 'string') {
      return send({ type: 'refused', code: 'bad-message', message: 'Expected {"type": "open|claim|say|release", "sid": "…"}.' });
    }
    const { type, sid } = message;
    const reply = (result: ActionResult): void => send(result.ok ? { type: 'done', action: type, sid } : { type: 'refused', action: type, sid, code: result.code, message: result.message });
    switch (type) {
      case 'open': {
        const entries = await service.transcript(operator, sid);
        if (!Array.isArray(entries)) return reply(entries);
        if (open.size >= MAX_OPEN) open.delete(open.values().next().value as string);
        open.add(sid);
        return send({ type: 'transcript', sid, entries, states: service.stateNames(sid) });
      }
      case 'claim':
        return reply(await service.claim(operator, sid));
      case 'say':
        if (typeof message.text !== 'string') return reply({ ok: false, code: 'bad-message', message: '"say" needs a "text".' });
        return reply(await service.say(operator, sid, message.text));
      case 'release': {
        const resume = resumeOf(message.resume);
        if (!resume) return reply({ ok: false, code: 'bad-message', message: '"release" needs "resume": {"at": "state"}, {"back": true} or {"end": true}.' });
        return reply(await service.release(operator, sid, resume));
      }
      default:
        return reply({ ok: false, code: 'bad-message', message: `Unknown message type ${JSON.stringify(type)}.` });
    }
  }
}

function resumeOf(value: unknown): Resume | undefined {
  if (!isPlainObject(value)) return undefined;
  if (typeof value.at === 'string') return { at: value.at };
  if (value.back === true) return { back: true };
  if (value.end === true) return { end: true };
  return undefined;
}
