import './advanced.css';
import { appendSegment } from '../../../runtime/flow/jsonPath.ts';
import { isPlainObject } from '../../../runtime/flow/isPlainObject.ts';
import type { Diagnostic, Id } from '../../../runtime/flow/types.ts';
import { CommitInput } from './CommitInput.tsx';
import { Field } from './Field.tsx';
import { problemsAt } from './FieldProblems.tsx';
import { idFromText } from './idFromText.ts';

interface Props {
  name: string;
  /** the step's message, when it sends one (its question and chat ids live here too) */
  request: Record<string, unknown> | null;
  /** JSON path of the step */
  path: string;
  diagnostics: Diagnostic[];
  /** names and choice ids in the saved file: they stay when the text changes */
  savedNames: readonly string[];
  savedChoiceIds: readonly string[];
  rename(to: string): void;
  renameId(field: 'groupId' | 'sessionId', from: Id, to: Id): void;
  renameItem(groupId: Id, from: Id, to: Id): void;
}

/** Whether the author left the fold open: it stays so from step to step (closed at launch). */
let foldOpen = false;
/**
 * Opens a newly mounted fold as the author last left one. Only at mount (a stable callback): applied
 * on every render it could undo a toggle whose event has not arrived yet.
 */
const applyFold = (fold: HTMLDetailsElement | null) => {
  if (fold) fold.open = foldOpen;
};

const SAVED = 'It is in the saved or exported file, so it stays when the text changes (links in other files and recorded sessions use it).';
const FOLLOWS = 'It follows the text until the flow is saved or exported.';

/**
 * The ids behind the author's words (state name, question, choice and chat ids), folded away by
 * default: the author never needs them, but can see and edit them here.
 */
export function AdvancedIds({ name, request, path, diagnostics, savedNames, savedChoiceIds, rename, renameId, renameItem }: Props) {
  const requestPath = appendSegment(path, 'sendRequest');
  const at = (field: string) => problemsAt(diagnostics, appendSegment(requestPath, field));
  const itemAt = (i: number) => problemsAt(diagnostics, appendSegment(appendSegment(appendSegment(requestPath, 'choices'), i), 'itemId'));
  const groupId = request?.kind === 'ChoiceRequest' ? (request.groupId as Id) : undefined;
  const sessionId = request?.kind === 'StartChatSession' ? (request.sessionId as Id) : undefined;
  const choices = groupId !== undefined && Array.isArray(request?.choices) ? (request.choices as unknown[]) : [];
  // Folded, its problems still show: their count is on the fold's title.
  const problems = problemsAt(diagnostics, requestPath).filter((d) => /\.(groupId|sessionId|itemId)$/.test(d.path)).length;
  return (
    <details
      className="inspector-advanced"
      ref={applyFold}
      onToggle={(event) => {
        foldOpen = event.currentTarget.open;
      }}
    >
      <summary>
        Advanced: ids{problems > 0 && <span className="inspector-advanced__problems"> · {problems === 1 ? '1 problem' : `${problems} problems`}</span>}
      </summary>
      <Field label="Step name" htmlFor="f-name" hint={`Links and recorded sessions name the step by it. ${savedNames.includes(name) ? SAVED : FOLLOWS}`}>
        <CommitInput id="f-name" className="id-input" value={name} onCommit={(to) => rename(to.trim())} />
      </Field>
      {groupId !== undefined && (
        <Field label="Question id (groupId)" htmlFor="f-group" hint="Renaming it updates the steps that react to its choices." problems={at('groupId')}>
          <CommitInput id="f-group" className="id-input" value={String(groupId ?? '')} onCommit={(v) => renameId('groupId', groupId, idFromText(v, groupId))} />
        </Field>
      )}
      {choices.map((choice, i) =>
        isPlainObject(choice) ? (
          <Field key={i} label={`Choice ${i + 1} id (itemId)`} htmlFor={`f-item-${i}`} hint={savedChoiceIds.includes(String(choice.itemId)) ? SAVED : FOLLOWS} problems={itemAt(i)}>
            <CommitInput id={`f-item-${i}`} aria-label={`Choice ${i + 1} id`} className="id-input" value={String(choice.itemId ?? '')} onCommit={(v) => renameItem(groupId!, choice.itemId as Id, idFromText(v, choice.itemId))} />
          </Field>
        ) : null,
      )}
      {sessionId !== undefined && (
        <Field label="Chat id (sessionId)" htmlFor="f-session" hint="Renaming it updates the steps that react to what is typed, and the one that closes it." problems={at('sessionId')}>
          <CommitInput id="f-session" className="id-input" value={String(sessionId ?? '')} onCommit={(v) => renameId('sessionId', sessionId, idFromText(v, sessionId))} />
        </Field>
      )}
    </details>
  );
}
