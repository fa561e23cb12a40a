import './choices.css';
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { appendSegment, parsePath } from '../../../runtime/flow/jsonPath.ts';
import { isPlainObject } from '../../../runtime/flow/isPlainObject.ts';
import { editChoiceTextCommand } from '../commands/choiceTextCommand.ts';
import { runCommand } from '../commands/registry.ts';
import { useDocument, useDocumentStore } from '../store/useDocument.ts';
import type { Choice, Diagnostic } from '../../../runtime/flow/types.ts';
import { problemsAt, FieldProblems } from './FieldProblems.tsx';
import { keptChoiceIds, keptFlows } from './keptIds.ts';

interface Props {
  choices: Choice[];
  /** JSON path of the choices array */
  path: string;
  diagnostics: Diagnostic[];
  setChoices(choices: Choice[], field: string): void;
}

/** The buttons a question offers: add, remove, reorder, edit text and ids. */
export function ChoicesEditor({ choices, path, diagnostics, setChoices }: Props) {
  const store = useDocumentStore();
  const name = String(parsePath(path)?.[0] ?? '');
  const savedText = useDocument((s) => s.savedText);
  const exportedText = useDocument((s) => s.exportedText);
  // The ids of this question's choices in the saved file: they stay when the text changes.
  const savedIds = useMemo(() => keptChoiceIds(keptFlows(savedText, exportedText), name), [savedText, exportedText, name]);
  const editText = (index: number, content: string) => runCommand(store, editChoiceTextCommand, { name, index, content, savedIds });
  const move = (from: number, to: number, button: 'up' | 'down') => {
    const next = [...choices];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved);
    setChoices(next, 'order');
    // The keyboard goes with the choice it moved (the button is disabled at either end: then the other one).
    const atEnd = (button === 'up' && to === 0) || (button === 'down' && to === choices.length - 1);
    setFocusButton(`f-choice-${to}-${atEnd ? (button === 'up' ? 'down' : 'up') : button}`);
  };
  const remove = (index: number) => {
    setChoices(choices.filter((_, j) => j !== index), 'remove');
    // The keyboard stays in the list: on the choice that took its place, else the one before, else "Add a choice".
    const left = choices.length - 1;
    setFocusButton(left === 0 ? 'f-add-choice' : `f-choice-${Math.min(index, left - 1)}-remove`);
  };
  /** The id of a button to give the keyboard once the edit is rendered (the one pressed is gone or disabled). */
  const [focusButton, setFocusButton] = useState<string | null>(null);
  useEffect(() => {
    if (!focusButton) return;
    document.getElementById(focusButton)?.focus();
    setFocusButton(null);
  }, [focusButton]);
  // The choice whose text box gets the keyboard once it is rendered (Enter moves on, adding one at the end).
  const [focusChoice, setFocusChoice] = useState<number | null>(null);
  useEffect(() => {
    if (focusChoice === null || focusChoice >= choices.length) return;
    const input = document.getElementById(`f-choice-${focusChoice}`);
    if (input instanceof HTMLInputElement) {
      input.focus();
      input.select();
    }
    setFocusChoice(null);
  }, [focusChoice, choices.length]);
  const add = () => {
    const taken = new Set(choices.map((c) => String(c.itemId)));
    let n = choices.length + 1;
    while (taken.has(`choice${n}`)) n++;
    setChoices([...choices, { itemId: `choice${n}`, content: `Choice ${n}` }], 'add');
    setFocusChoice(choices.length);
  };
  const onChoiceKey = (event: KeyboardEvent<HTMLInputElement>, i: number) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    event.preventDefault();
    if (i === choices.length - 1) add();
    else setFocusChoice(i + 1);
  };
  return (
    <fieldset className="choices">
      <legend>Choices</legend>
      {choices.map((choice, i) => {
        const at = appendSegment(path, i);
        return (
          // Keyed by position: the id follows the text while it is typed, and a new key would take the keyboard away.
          <div className="choice-row" key={i}>
            <div className="choice-row__fields">
              <input
                id={`f-choice-${i}`}
                aria-label={`Choice ${i + 1} text`}
                value={typeof choice.content === 'string' ? choice.content : ''}
                onChange={(e) => editText(i, e.target.value)}
                onKeyDown={(e) => onChoiceKey(e, i)}
                title="Enter: the next choice (a new one after the last)"
              />
            </div>
            <div className="choice-row__buttons">
              <button type="button" id={`f-choice-${i}-up`} aria-label={`Move choice ${i + 1} up`} disabled={i === 0} onClick={() => move(i, i - 1, 'up')}>↑</button>
              <button type="button" id={`f-choice-${i}-down`} aria-label={`Move choice ${i + 1} down`} disabled={i === choices.length - 1} onClick={() => move(i, i + 1, 'down')}>↓</button>
              <button type="button" id={`f-choice-${i}-remove`} aria-label={`Remove choice ${i + 1}`} onClick={() => remove(i)}>✕</button>
            </div>
            <FieldProblems problems={problemsAt(diagnostics, at)} />
          </div>
        );
      })}
      <button type="button" id="f-add-choice" className="add-choice" onClick={add}>+ Add a choice</button>
    </fieldset>
  );
}
