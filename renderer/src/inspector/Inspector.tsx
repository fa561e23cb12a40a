import { useEffect, useMemo, useRef } from 'react';
import type { DocumentStore } from '../store/createDocumentStore.ts';
import { appendSegment } from '../../../runtime/flow/jsonPath.ts';
import { editStepTextCommand, type StepTextField } from '../commands/stepNameCommand.ts';
import { StartPreviewHere } from '../preview/PreviewPane.tsx';
import { KindIcon } from '../canvas/KindIcon.tsx';
import { indexOfState } from '../../../runtime/flow/editFlow.ts';
import { flowToGraph } from '../../../runtime/flow/flowGraph.ts';
import { isPlainObject } from '../../../runtime/flow/isPlainObject.ts';
import type { Flow, Id, State } from '../../../runtime/flow/types.ts';
import { chooseNextCommand } from '../commands/linkCommands.ts';
import { runCommand } from '../commands/registry.ts';
import {
  deleteStatesCommand,
  duplicateStatesCommand,
  renameIdCommand,
  renameStateCommand,
  setStartCommand,
  updateStateCommand,
} from '../commands/stateCommands.ts';
import { lookOf } from '../canvas/nodeKinds.ts';
import { useDocument, useDocumentStore } from '../store/useDocument.ts';
import { stepWords } from '../words/stepWords.ts';
import { AdvancedIds } from './AdvancedIds.tsx';
import { keptChoiceIds, keptFlows, keptNames } from './keptIds.ts';
import { Field } from './Field.tsx';
import { FieldProblems, problemsAt } from './FieldProblems.tsx';
import { RequestFields } from './RequestFields.tsx';
import { ResponseFields } from './ResponseFields.tsx';

/** The form of the selected state. */
export function Inspector() {
  const store = useDocumentStore();
  const { flow, selection, diagnostics, parseOk, savedText, exportedText } = useDocument((s) => ({ flow: s.flow, selection: s.selection, diagnostics: s.diagnostics, parseOk: s.parseOk, savedText: s.savedText, exportedText: s.exportedText }));
  // Names and ids in the saved (or exported) file stay when the text changes; the others follow it.
  const kept = useMemo(() => keptFlows(savedText, exportedText), [savedText, exportedText]);
  const savedNames = useMemo(() => keptNames(kept), [kept]);
  useFocusNewStep(store, flow, selection);

  if (selection.length !== 1) {
    return (
      <section className="inspector" aria-label="Inspector">
        <h2 className="panel-title">Inspector</h2>
        <p className="inspector-note">
          {selection.length === 0
            ? 'Select a step on the canvas to edit it here.'
            : `${selection.length} steps selected. Delete, duplicate or copy them with the toolbar or the keyboard.`}
        </p>
      </section>
    );
  }
  const name = selection[0];
  const index = indexOfState(flow, name);
  if (index === -1) return null;
  const state = flow.states[index].state;
  const statePath = appendSegment('', name);
  const graphNode = flowToGraph({ states: [flow.states[index]] }).nodes[0];
  const look = lookOf(graphNode.kind);

  const update = (body: State, field: string) => runCommand(store, updateStateCommand, { name, state: body, field });
  const setMessageField = (key: 'sendRequest' | 'matchResponse') => (field: string, value: unknown) => {
    const message = state[key];
    if (!isPlainObject(message)) return;
    update({ ...state, [key]: { ...message, [field]: value } } as State, `${key}.${field}`);
  };
  const renameId = (field: 'groupId' | 'sessionId', from: Id, to: Id) => runCommand(store, renameIdCommand, { field, from, to });
  const renameItem = (groupId: Id, from: Id, to: Id) => runCommand(store, renameIdCommand, { field: 'itemId', groupId, from, to });
  const request = isPlainObject(state.sendRequest) ? state.sendRequest : null;
  const match = isPlainObject(state.matchResponse) ? state.matchResponse : null;
  const nextPath = appendSegment(statePath, 'next');
  const fieldPaths = [appendSegment(statePath, 'sendRequest'), appendSegment(statePath, 'matchResponse'), nextPath];
  const stateProblems = problemsAt(diagnostics, statePath).filter((d) => !fieldPaths.some((p) => d.path.startsWith(p)));
  const setText = (field: StepTextField, value: string) => runCommand(store, editStepTextCommand, { name, index, field, value, savedNames });

  return (
    <section className="inspector" aria-label="Inspector">
      <h2 className={`panel-title inspector-kind tone-${look.tone}`}>
        <KindIcon tone={look.tone} /> {look.label}
        {index === 0 ? <span className="state-node__start">Start</span> : null}
      </h2>
      <fieldset className="inspector-form" disabled={!parseOk}>
        <FieldProblems problems={stateProblems} />
        {request && (
          <RequestFields
            message={request}
            path={appendSegment(statePath, 'sendRequest')}
            diagnostics={diagnostics}
            setField={setMessageField('sendRequest')}
            setText={setText}
          />
        )}
        {match && (
          <ResponseFields flow={flow} message={match} path={appendSegment(statePath, 'matchResponse')} diagnostics={diagnostics} setField={setMessageField('matchResponse')} />
        )}
        <Field label="Then go to" htmlFor="f-next" problems={problemsAt(diagnostics, nextPath)}>
          <select
            id="f-next"
            value={typeof state.next === 'string' ? state.next : ''}
            onChange={(e) => runCommand(store, chooseNextCommand, { source: name, target: e.target.value })}
          >
            <option value="">(wait for the user / end)</option>
            {typeof state.next === 'string' && indexOfState(flow, state.next) === -1 && <option value={state.next}>{state.next} (missing)</option>}
            {flow.states.map((s) => (
              <option key={s.name} value={s.name}>{optionWords(flow, s.name)}</option>
            ))}
          </select>
        </Field>
        <div className="inspector-actions">
          <button type="button" disabled={index === 0} onClick={() => runCommand(store, setStartCommand, { name })}>Set as start</button>
          <button type="button" onClick={() => runCommand(store, duplicateStatesCommand, { names: [name] })}>Duplicate</button>
          {(graphNode.kind === 'ChoiceRequest' || graphNode.kind === 'StartChatSession') && <StartPreviewHere name={name} />}
          <button type="button" className="danger" onClick={() => runCommand(store, deleteStatesCommand, { names: [name] })}>Delete</button>
        </div>
        <AdvancedIds
          name={name}
          request={request}
          path={statePath}
          diagnostics={diagnostics}
          savedNames={savedNames}
          savedChoiceIds={keptChoiceIds(kept, name)}
          rename={(to) => runCommand(store, renameStateCommand, { from: name, to })}
          renameId={renameId}
          renameItem={renameItem}
        />
      </fieldset>
    </section>
  );
}

/**
 * A step just created and selected (a new flow's first step too) gets the keyboard in its text
 * field, its placeholder text selected: the author types its words at once. Renames and other
 * edits leave the focus where it is.
 */
function useFocusNewStep(store: DocumentStore, flow: Flow, selection: readonly string[]) {
  const seen = useRef<{ store: DocumentStore; names: ReadonlySet<string> } | null>(null);
  const selected = selection.length === 1 ? selection[0] : null;
  useEffect(() => {
    const before = seen.current;
    const names = new Set(flow.states.map((s) => s.name));
    seen.current = { store, names };
    if (selected === null) return;
    const opened = before?.store !== store; // a new document opens with a selection only when it was just created
    const created = !opened && before !== null && !before.names.has(selected) && names.size > before.names.size;
    if (!opened && !created) return;
    const field = document.querySelector<HTMLTextAreaElement | HTMLInputElement>('.inspector-form textarea, .inspector-form input:not(.id-input):not([type="number"])');
    field?.focus();
    field?.select();
  }, [store, flow, selected]);
}

/** A step in the "Then go to" list: its words, and its name when the words alone are not it. */
function optionWords(flow: Flow, name: string): string {
  const words = stepWords(flow, name);
  return words === name ? name : `${words} — ${name}`;
}
