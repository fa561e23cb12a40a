/**
 * The websocket protocol at the door: what a client may send (the article's ChoiceResponse and
 * UserText, plus ResetSession), checked before anything reaches the engine or the stream, and the
 * frames the server sends back besides the flow's own requests.
 */
import type { ChoiceResponse, Id, UserText } from '../flow/types.ts';

export interface ResetSession {
  kind: 'ResetSession';
}

export type ClientFrame = ChoiceResponse | UserText | ResetSession;

export type FrameErrorCode = 'binary-frame' | 'bad-json' | 'bad-frame' | 'unknown-kind';

export type ParsedFrame = { ok: true; frame: ClientFrame } | { ok: false; code: FrameErrorCode; message: string };

/**
 * Parse one incoming frame. An answer with a field the protocol does not have is refused (a
 * misspelt `content` would lose what the user typed); the message kept is rebuilt from the known
 * fields (in the order the article's widget sends them), so nothing unexpected reaches the stream.
 */
export function parseClientFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): ParsedFrame {
  if (isBinary) return fail('binary-frame', 'Binary frames are not accepted: send JSON text.');
  let value: unknown;
  try {
    value = JSON.parse(toText(data));
  } catch (error) {
    return fail('bad-json', `The frame is not JSON (${(error as Error).message}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('bad-frame', 'A frame must be a JSON object with a "kind".');
  }
  const fields = value as Record<string, unknown>;
  switch (fields.kind) {
    case 'ChoiceResponse': {
      const unknown = unknownField(fields, CHOICE_RESPONSE_FIELDS);
      if (unknown !== undefined) return fail('bad-frame', `ChoiceResponse has a field ${JSON.stringify(unknown)} this server does not know: a ChoiceResponse holds "kind", "groupId", "itemId" and "content" (the choice's text).`);
      const { groupId, itemId, content } = fields;
      if (!isId(groupId)) return fail('bad-frame', 'ChoiceResponse.groupId must be a string or a number.');
      if (!isId(itemId)) return fail('bad-frame', 'ChoiceResponse.itemId must be a string or a number.');
      if (content !== undefined && typeof content !== 'string') return fail('bad-frame', 'ChoiceResponse.content must be a string.');
      const frame: ChoiceResponse = { kind: 'ChoiceResponse', groupId, itemId };
      if (content !== undefined) frame.content = content;
      return { ok: true, frame };
    }
    case 'UserText': {
      // A misspelt field would lose what the user typed without a word: say so instead.
      const unknown = unknownField(fields, USER_TEXT_FIELDS);
      if (unknown !== undefined) return fail('bad-frame', `UserText has a field ${JSON.stringify(unknown)} this server does not know: a UserText holds "kind", "sessionId" and "content" (the text the user typed).`);
      const { sessionId, content } = fields;
      if (!isId(sessionId)) return fail('bad-frame', 'UserText.sessionId must be a string or a number.');
      if (content !== undefined && typeof content !== 'string') return fail('bad-frame', 'UserText.content must be a string.');
      const frame: UserText = { kind: 'UserText', sessionId };
      if (content !== undefined) frame.content = content;
      return { ok: true, frame };
    }
    case 'ResetSession':
      return { ok: true, frame: { kind: 'ResetSession' } };
    default:
      return fail(
        'unknown-kind',
        `Unknown frame kind ${typeof fields.kind === 'string' ? JSON.stringify(fields.kind) : '(missing)'}: expected "ChoiceResponse", "UserText" or "ResetSession".`,
      );
  }
}

/** An error frame: `{"kind":"Error","code":...,"message":...}`. Sent to the one socket at fault. */
export function errorFrame(code: string, message: string): string {
  return JSON.stringify({ kind: 'Error', code, message });
}

/** Tells every tab of a session that it was reset; the socket closes right after. */
export const SESSION_RESET_FRAME = JSON.stringify({ kind: 'SessionReset' });

const CHOICE_RESPONSE_FIELDS = new Set(['kind', 'groupId', 'itemId', 'content']);
const USER_TEXT_FIELDS = new Set(['kind', 'sessionId', 'content']);

/** The first field of `fields` that is not one of `known`, if any. */
function unknownField(fields: Record<string, unknown>, known: ReadonlySet<string>): string | undefined {
  for (const name in fields) if (!known.has(name)) return name;
  return undefined;
}

function isId(value: unknown): value is Id {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function toText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function fail(code: FrameErrorCode, message: string): ParsedFrame {
  return { ok: false, code, message };
}
