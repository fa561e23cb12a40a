import { appendSegment } from '../../../runtime/flow/jsonPath.ts';
import type { Diagnostic, Flow } from '../../../runtime/flow/types.ts';
import { isPlainObject } from '../../../runtime/flow/isPlainObject.ts';
import { Field } from './Field.tsx';
import { problemsAt } from './FieldProblems.tsx';
import { idFromText } from './idFromText.ts';

interface Props {
  flow: Flow;
  message: Record<string, unknown>;
  path: string;
  diagnostics: Diagnostic[];
  setField(field: string, value: unknown): void;
}

/** Fields of a matchResponse: which answer it reacts to (picked from the flow's questions and chats). */
export function ResponseFields({ flow, message, path, diagnostics, setField }: Props) {
  const at = (field: string) => problemsAt(diagnostics, appendSegment(path, field));
  const requests = flow.states.map((s): unknown => s.state.sendRequest).filter(isPlainObject);
  if (message.kind === 'ChoiceResponse') {
    const questions = requests.filter((r) => r.kind === 'ChoiceRequest');
    const question = questions.find((q) => String(q.groupId) === String(message.groupId));
    const choices = Array.isArray(question?.choices) ? (question.choices as unknown[]).filter(isPlainObject) : [];
    return (
      <>
        <Field label="Question (groupId)" htmlFor="f-group" problems={at('groupId')}>
          <input id="f-group" className="id-input" list="known-groups" value={String(message.groupId ?? '')} onChange={(e) => setField('groupId', idFromText(e.target.value, message.groupId))} />
          <datalist id="known-groups">
            {questions.map((q, i) => <option key={i} value={String(q.groupId)}>{String(q.question ?? '')}</option>)}
          </datalist>
        </Field>
        <Field label="Choice (itemId)" htmlFor="f-item" problems={at('itemId')}>
          <input id="f-item" className="id-input" list="known-items" value={String(message.itemId ?? '')} onChange={(e) => setField('itemId', idFromText(e.target.value, message.itemId))} />
          <datalist id="known-items">
            {choices.map((c, i) => <option key={i} value={String(c.itemId)}>{String(c.content ?? '')}</option>)}
          </datalist>
        </Field>
      </>
    );
  }
  if (message.kind === 'UserText') {
    const chats = requests.filter((r) => r.kind === 'StartChatSession');
    return (
      <Field label="Chat (sessionId)" htmlFor="f-session" problems={at('sessionId')}>
        <input id="f-session" className="id-input" list="known-sessions" value={String(message.sessionId ?? '')} onChange={(e) => setField('sessionId', idFromText(e.target.value, message.sessionId))} />
        <datalist id="known-sessions">
          {chats.map((c, i) => <option key={i} value={String(c.sessionId)} />)}
        </datalist>
      </Field>
    );
  }
  return <p className="inspector-note">This step's kind is not one the studio knows; edit it in the JSON.</p>;
}
