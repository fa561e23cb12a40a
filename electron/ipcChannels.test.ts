import { describe, expect, it } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS, IpcArgumentError, MAX_FLOW_TEXT_LENGTH, MAX_PATH_LENGTH, SEND_CHANNELS } from './ipcChannels.ts';

const posix = 'posix' as const;

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(IpcArgumentError);
    return (error as Error).message;
  }
  throw new Error('expected the arguments to be refused');
}

describe('IPC argument validation', () => {
  it('accepts well-formed arguments and returns them typed', () => {
    expect(INVOKE_CHANNELS.openFlow.parse(['/home/a/bot.json'], posix)).toEqual(['/home/a/bot.json']);
    const layout = { positions: { start: { x: 1, y: 2 } }, viewport: { x: 0, y: 0, zoom: 1.5 } };
    expect(INVOKE_CHANNELS.saveFlow.parse(['/a/b.json', '{}', layout, 'c0ffee'], posix)).toEqual(['/a/b.json', '{}', layout, 'c0ffee']);
    expect(INVOKE_CHANNELS.saveFlow.parse(['/a/b.JSON', '{}', null, null], posix)).toEqual(['/a/b.JSON', '{}', null, null]);
    expect(refusal(() => INVOKE_CHANNELS.saveFlow.parse(['/a.json', '{}', null, '../x'], posix))).toMatch(/saveFlow: argument 4 \(baseVersion\) must be a version from open or the last save, or null; got "..\/x"/);
    expect(refusal(() => INVOKE_CHANNELS.saveFlow.parse(['/a.json', '{}', null], posix))).toMatch(/saveFlow: expects 4 arguments; got 3/);
    expect(INVOKE_CHANNELS.createFlow.parse(['welcome', '{}'], posix)).toEqual(['welcome', '{}']);
    expect(INVOKE_CHANNELS.createFlow.parse(['/x/welcome.json', '{}'], posix)).toEqual(['/x/welcome.json', '{}']);
    expect(INVOKE_CHANNELS.listFlows.parse([], posix)).toEqual([]);
    expect(INVOKE_CHANNELS.readTests.parse(['/a/b.json'], posix)).toEqual(['/a/b.json']);
    expect(INVOKE_CHANNELS.writeTests.parse(['/a/b.json', '{"tests": []}'], posix)).toEqual(['/a/b.json', '{"tests": []}']);
    expect(() => INVOKE_CHANNELS.writeTests.parse(['/a/b.json', 42], posix)).toThrow(IpcArgumentError);
    expect(SEND_CHANNELS.setDirty.parse([true])).toEqual([true]);
    expect(EVENT_CHANNELS.menuCommand.parse(['file.save'])).toEqual(['file.save']);
  });

  it('drops unknown fields from a layout', () => {
    const [, , layout] = INVOKE_CHANNELS.saveFlow.parse(['/a/b.json', '', { positions: { s: { x: 1, y: 2, extra: 'x' } }, evil: 1 }, null], posix);
    expect(layout).toEqual({ positions: { s: { x: 1, y: 2 } } });
  });

  it('refuses wrong types, naming the method and the argument', () => {
    expect(refusal(() => INVOKE_CHANNELS.openFlow.parse([42], posix))).toBe('openFlow: argument 1 (ref) must be a string; got number 42.');
    expect(refusal(() => INVOKE_CHANNELS.saveFlow.parse(['/a.json', { text: 1 }, null, null], posix))).toMatch(/saveFlow: argument 2 \(text\) must be a string; got an object/);
    expect(refusal(() => SEND_CHANNELS.setDirty.parse(['yes']))).toMatch(/setDirty: argument 1 \(dirty\) must be a boolean; got "yes"/);
    expect(refusal(() => EVENT_CHANNELS.menuCommand.parse(['file.format']))).toMatch(/one of MENU_COMMANDS; got "file.format"/);
  });

  it('refuses the wrong number of arguments', () => {
    expect(refusal(() => INVOKE_CHANNELS.openFlow.parse([], posix))).toBe('openFlow: expects 1 argument; got 0.');
    expect(refusal(() => INVOKE_CHANNELS.listFlows.parse(['extra'], posix))).toBe('listFlows: expects 0 arguments; got 1.');
  });

  it('refuses relative paths and files that are not .json', () => {
    expect(refusal(() => INVOKE_CHANNELS.openFlow.parse(['flows/bot.json'], posix))).toMatch(/must be an absolute path; got "flows\/bot.json" \(a relative path\)/);
    expect(refusal(() => INVOKE_CHANNELS.deleteFlow.parse(['../bot.json'], posix))).toMatch(/absolute path/);
    expect(refusal(() => INVOKE_CHANNELS.openFlow.parse(['/etc/passwd'], posix))).toMatch(/must be a path to a \.json file; got "\/etc\/passwd"/);
    expect(refusal(() => INVOKE_CHANNELS.openFlow.parse(['C:\\flows\\bot.json'], posix))).toMatch(/relative path/);
    expect(INVOKE_CHANNELS.openFlow.parse(['C:\\flows\\bot.json'], 'win32')).toEqual(['C:\\flows\\bot.json']);
    expect(refusal(() => INVOKE_CHANNELS.openFlow.parse(['/flows/bot.json'], 'win32'))).toMatch(/relative path/);
  });

  it('refuses huge strings and NUL characters', () => {
    expect(refusal(() => INVOKE_CHANNELS.openFlow.parse([`/${'a'.repeat(MAX_PATH_LENGTH)}.json`], posix))).toMatch(/must be at most 4096 characters; got 4102/);
    expect(refusal(() => INVOKE_CHANNELS.saveFlow.parse(['/a.json', 'x'.repeat(MAX_FLOW_TEXT_LENGTH + 1), null, null], posix))).toMatch(/\(text\) must be at most 10000000 characters/);
    expect(refusal(() => INVOKE_CHANNELS.openFlow.parse(['/a\0b.json'], posix))).toMatch(/free of NUL characters/);
  });

  it('refuses names with folders in them', () => {
    expect(refusal(() => INVOKE_CHANNELS.renameFlow.parse(['/a/b.json', '../c.json'], posix))).toMatch(/renameFlow: argument 2 \(newName\) must be a file name without folders/);
    expect(refusal(() => INVOKE_CHANNELS.createFlow.parse(['sub/x', '{}'], posix))).toMatch(/without folders/);
    expect(refusal(() => INVOKE_CHANNELS.showSaveDialog.parse(['  '], posix))).toMatch(/must be a file name; got ""/);
  });

  it('checks the session history arguments', () => {
    expect(INVOKE_CHANNELS.listSessions.parse([{ query: 'a', kind: 'real', limit: 5, extra: 1 }], posix)).toEqual([{ query: 'a', kind: 'real', limit: 5 }]);
    expect(refusal(() => INVOKE_CHANNELS.listSessions.parse([{ from: 7 }], posix))).toMatch(/listSessions: argument 1 \(query.from\) must be a short string; got number 7/);
    expect(INVOKE_CHANNELS.getCoverage.parse(['{}', ['s1', 's2']], posix)).toEqual(['{}', ['s1', 's2']]);
    expect(INVOKE_CHANNELS.getCoverage.parse(['{}', { filter: { query: 'refund', kind: 'real', extra: 1 } }], posix)).toEqual(['{}', { filter: { query: 'refund', kind: 'real' } }]);
    expect(refusal(() => INVOKE_CHANNELS.getCoverage.parse(['{}', { filter: { query: 7 } }], posix))).toMatch(/getCoverage: argument 2 \(sids.filter.query\) must be a short string/);
    expect(refusal(() => INVOKE_CHANNELS.getCoverage.parse(['{}', 'some'], posix))).toMatch(/getCoverage: argument 2 \(sids\) must be "all" or an array/);
    expect(refusal(() => INVOKE_CHANNELS.getTranscript.parse([42], posix))).toMatch(/getTranscript: argument 1 \(sid\) must be a string/);
  });

  it('checks the publish arguments: a target of two strings, a flow text, a version hash', () => {
    const target = { serverUrl: 'https://bots.example.com/', tokenFile: '/etc/bot/token' };
    expect(INVOKE_CHANNELS.checkPublish.parse([{ ...target, extra: 1 }, '{}'], posix)).toEqual([target, '{}']);
    expect(INVOKE_CHANNELS.rollback.parse([target, '0123456789abcdef'], posix)).toEqual([target, '0123456789abcdef']);
    expect(INVOKE_CHANNELS.publishTargets.parse([], posix)).toEqual([]);
    expect(refusal(() => INVOKE_CHANNELS.publish.parse([null, '{}'], posix))).toMatch(/publish: argument 1 \(target\) must be \{ serverUrl, tokenFile \}; got null/);
    expect(refusal(() => INVOKE_CHANNELS.publishStatus.parse([{ serverUrl: 'https://x/', tokenFile: 7 }], posix))).toMatch(/publishStatus: argument 1 \(target.tokenFile\) must be a string; got number 7/);
    expect(refusal(() => INVOKE_CHANNELS.versionText.parse([target, '../../etc'], posix))).toMatch(/versionText: argument 2 \(hash\) must be a version hash/);
    expect(refusal(() => INVOKE_CHANNELS.publish.parse([target, 'x'.repeat(MAX_FLOW_TEXT_LENGTH + 1)], posix))).toMatch(/publish: argument 2 \(flowText\) must be at most/);
    expect(refusal(() => INVOKE_CHANNELS.publish.parse([target], posix))).toMatch(/publish: expects 2 arguments; got 1/);
  });

  it('refuses malformed layouts', () => {
    const save = (layout: unknown) => () => INVOKE_CHANNELS.saveFlow.parse(['/a.json', '{}', layout, null], posix);
    expect(refusal(save([]))).toMatch(/argument 3 \(layout\) must be null or \{ positions/);
    expect(refusal(save({ positions: { a: { x: 'left', y: 0 } } }))).toMatch(/positions\["a"\] = \{"x":"left","y":0\}/);
    expect(refusal(save({ positions: { a: { x: Infinity, y: 0 } } }))).toMatch(/positions\["a"\]/);
    expect(refusal(save({ positions: {}, viewport: { x: 0, y: 0, zoom: 0 } }))).toMatch(/viewport/);
    expect(refusal(save({}))).toMatch(/positions = undefined/);
  });
});
