import { describe, expect, it } from 'vitest';
import { errorFrame, parseClientFrame } from './frames.ts';

const text = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('incoming frames', () => {
  it('keeps the article widget’s frames in its order', () => {
    expect(parseClientFrame(text({ content: 'Rust', itemId: 'rust', groupId: 'lang', kind: 'ChoiceResponse' }), false)).toEqual({
      ok: true,
      frame: { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', content: 'Rust' },
    });
    expect(parseClientFrame(text({ kind: 'UserText', sessionId: 7 }), false)).toEqual({ ok: true, frame: { kind: 'UserText', sessionId: 7 } });
    expect(parseClientFrame(text({ kind: 'ResetSession', junk: true }), false)).toEqual({ ok: true, frame: { kind: 'ResetSession' } });
  });

  it('names what is wrong', () => {
    expect(parseClientFrame(text('{'), false)).toMatchObject({ ok: false, code: 'bad-json' });
    expect(parseClientFrame(text('null'), false)).toMatchObject({ ok: false, code: 'bad-frame' });
    expect(parseClientFrame(text({ kind: 'ChoiceResponse', groupId: 'lang' }), false)).toMatchObject({ ok: false, code: 'bad-frame', message: expect.stringContaining('itemId') });
    expect(parseClientFrame(text({ kind: 'UserText', sessionId: 's', content: 5 }), false)).toMatchObject({ ok: false, code: 'bad-frame', message: expect.stringContaining('content') });
    expect(parseClientFrame(text({ kind: 'ChoiceResponse', groupId: Number.NaN, itemId: 1 }), false)).toMatchObject({ ok: false });
    expect(parseClientFrame(text({ kind: 'Hello' }), false)).toMatchObject({ ok: false, code: 'unknown-kind', message: expect.stringContaining('"Hello"') });
    expect(parseClientFrame(text({}), true)).toMatchObject({ ok: false, code: 'binary-frame' });
  });

  it('refuses an answer with a field the protocol does not have, naming it (a misspelt "content" would lose what the user typed)', () => {
    expect(parseClientFrame(text({ kind: 'UserText', sessionId: 'chat', message: 'Zig' }), false)).toEqual({
      ok: false,
      code: 'bad-frame',
      message: 'UserText has a field "message" this server does not know: a UserText holds "kind", "sessionId" and "content" (the text the user typed).',
    });
    expect(parseClientFrame(text({ kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust', extra: 1 }), false)).toMatchObject({ ok: false, code: 'bad-frame', message: expect.stringContaining('"extra"') });
  });

  it('writes error frames as the widget expects', () => {
    expect(JSON.parse(errorFrame('not-pending', 'nothing to answer'))).toEqual({ kind: 'Error', code: 'not-pending', message: 'nothing to answer' });
  });
});
