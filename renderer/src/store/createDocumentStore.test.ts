import { describe, expect, it } from 'vitest';
import { runCommand } from '../commands/registry.ts';
import { renameStateCommand, updateStateCommand } from '../commands/stateCommands.ts';
import { moveStatesCommand } from '../commands/layoutCommands.ts';
import { chooseNextCommand } from '../commands/linkCommands.ts';
import { createDocumentStore } from './createDocumentStore.ts';
import article from '../../../state-machines/bot-assistant.json?raw';

const open = () => createDocumentStore({ ref: 'bot-assistant.json', displayName: 'bot-assistant.json', text: article, positions: {} });

describe('document store', () => {
  it('derives the JSON text from the flow after a command, and undo/redo restore both', () => {
    const store = open();
    expect(runCommand(store, renameStateCommand, { from: 'done', to: 'finished' })).toBe(true);
    expect(store.getState().text).toContain('"next": "finished"');
    expect(store.getState().isDirty()).toBe(true);
    store.getState().undo();
    expect(store.getState().text).toBe(article);
    expect(store.getState().isDirty()).toBe(false);
    store.getState().redo();
    expect(store.getState().flow.states.at(-1)?.name).toBe('finished');
  });

  it('makes the options arrowed past in "Then go to" one undo step', () => {
    const store = open();
    for (const target of ['langChoices', 'done', 'anyOtherChoices', '']) runCommand(store, chooseNextCommand, { source: 'greetings', target });
    expect(store.getState().flow.states[0].state.next).toBeUndefined();
    store.getState().undo();
    expect(store.getState().text).toBe(article);
  });

  it('validates at once when asked, so a fix taken right after a rename names the step as it is now', () => {
    const store = open();
    const paths = () => store.getState().diagnostics.map((d) => d.path).join(' ');
    // Leaves a dangling link, so there is a problem whose path names the renamed step.
    runCommand(store, updateStateCommand, { name: 'done', state: { sendRequest: { kind: 'BotText', content: 'Bye' }, next: 'nowhere' }, field: 'next' });
    store.getState().validateNow();
    expect(paths()).toContain('done.next');
    runCommand(store, renameStateCommand, { from: 'done', to: 'finished' });
    expect(paths()).toContain('done.next'); // the delayed validation has not run yet
    expect(store.getState().validateNow().map((d) => d.path).join(' ')).toContain('finished.next');
    expect(paths()).not.toContain('done.next');
  });

  it('keeps the last good flow while the JSON does not parse, and refuses canvas edits then', () => {
    const store = open();
    store.getState().setText(article.replace('"done"', '"done",,'));
    store.getState().flushText();
    expect(store.getState().parseOk).toBe(false);
    expect(store.getState().flow.states).toHaveLength(12);
    expect(store.getState().diagnostics[0].severity).toBe('error');
    expect(runCommand(store, renameStateCommand, { from: 'done', to: 'x' })).toBe(false);
    expect(store.getState().notice?.tone).toBe('error');
    store.getState().setText(article.replace('Great, thanks!', 'Bye'));
    store.getState().flushText();
    expect(store.getState().parseOk).toBe(true);
    expect(store.getState().past.map((e) => e.label)).toEqual(['Edit JSON']);
    store.getState().undo();
    expect(store.getState().text).toBe(article);
  });

  it('typing in one field is one undo step; moves are undoable', () => {
    const store = open();
    for (const content of ['H', 'He', 'Hey']) {
      runCommand(store, updateStateCommand, { name: 'done', state: { sendRequest: { kind: 'BotText', content } }, field: 'content' });
    }
    runCommand(store, moveStatesCommand, { positions: { done: { x: 10, y: 20 } } });
    expect(store.getState().past.map((e) => e.label)).toEqual(['Edit state', 'Move']);
    store.getState().undo();
    expect(store.getState().positions.done).toBeUndefined();
    store.getState().undo();
    expect(store.getState().text).toBe(article);
  });
});
