import { appendSegment } from '../../../runtime/flow/jsonPath.ts';
import type { Choice, Diagnostic, Id } from '../../../runtime/flow/types.ts';
import type { StepTextField } from '../commands/stepNameCommand.ts';
import { ChoicesEditor } from './ChoicesEditor.tsx';
import { Field } from './Field.tsx';
import { problemsAt } from './FieldProblems.tsx';
import { HtmlPreview } from './HtmlPreview.tsx';
import { idFromText } from './idFromText.ts';

type Message = Record<string, unknown>;

export interface MessageFieldsProps {
  message: Message;
  /** JSON path of the message (`greetings.sendRequest`) */
  path: string;
  diagnostics: Diagnostic[];
  /** replace one field of the message (typing: one undo step per field) */
  setField(field: string, value: unknown): void;
  /** edit one of the step's text fields (its name may follow the text) */
  setText(field: StepTextField, value: string): void;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** Fields of a sendRequest, by kind. */
export function RequestFields({ message, path, diagnostics, setField, setText }: MessageFieldsProps) {
  const at = (field: string) => problemsAt(diagnostics, appendSegment(path, field));
  switch (message.kind) {
    case 'BotText':
      return (
        <>
          <Field label="Message" htmlFor="f-content" hint="Simple HTML allowed: links, bold, italics, lists, code." problems={at('content')}>
            <textarea id="f-content" rows={4} value={text(message.content)} onChange={(e) => setText('content', e.target.value)} />
          </Field>
          <div className="field">
            <span className="field-label">Preview</span>
            <HtmlPreview html={text(message.content)} />
          </div>
        </>
      );
    case 'ChoiceRequest':
      return (
        <>
          <Field label="Question" htmlFor="f-question" problems={at('question')}>
            <textarea id="f-question" rows={2} value={text(message.question)} onChange={(e) => setText('question', e.target.value)} />
          </Field>
          <div className="field">
            <span className="field-label">Preview</span>
            <HtmlPreview html={text(message.question)} />
          </div>
          <ChoicesEditor
            choices={Array.isArray(message.choices) ? (message.choices as Choice[]) : []}
            path={appendSegment(path, 'choices')}
            diagnostics={diagnostics}
            setChoices={(choices) => setField('choices', choices)}
          />
        </>
      );
    case 'StartChatSession':
      return (
        <>
          <Field label="Bot says" htmlFor="f-chattext" problems={at('chatText')}>
            <textarea id="f-chattext" rows={2} value={text(message.chatText)} onChange={(e) => setText('chatText', e.target.value)} />
          </Field>
          <Field label="Placeholder in the text box" htmlFor="f-prompt" problems={at('chatPrompt')}>
            <input id="f-prompt" value={text(message.chatPrompt)} onChange={(e) => setText('chatPrompt', e.target.value)} />
          </Field>
        </>
      );
    case 'EndChatSession':
      return (
        <Field label="Chat to close (sessionId)" htmlFor="f-session" problems={at('sessionId')}>
          <input id="f-session" className="id-input" value={String(message.sessionId ?? '')} onChange={(e) => setField('sessionId', idFromText(e.target.value, message.sessionId))} />
        </Field>
      );
    case 'OperatorHandoff':
      return (
        <>
          <Field label="Bot says" htmlFor="f-handoff-text" problems={at('text')}>
            <textarea id="f-handoff-text" rows={2} value={text(message.text)} onChange={(e) => setText('text', e.target.value)} />
          </Field>
          <Field label="Operator queue" htmlFor="f-queue" hint="Operators assigned to this queue see the visitor." problems={at('queue')}>
            <input id="f-queue" value={text(message.queue)} onChange={(e) => setField('queue', e.target.value)} />
          </Field>
          <Field label="Wait for an operator (seconds)" htmlFor="f-timeout" hint="Then the flow goes on at next (the fallback)." problems={at('timeoutSeconds')}>
            <input id="f-timeout" type="number" min={1} value={typeof message.timeoutSeconds === 'number' ? message.timeoutSeconds : ''} onChange={(e) => setField('timeoutSeconds', e.target.value === '' ? undefined : Number(e.target.value))} />
          </Field>
        </>
      );
    default:
      return <p className="inspector-note">This step's kind is not one the studio knows; edit it in the JSON.</p>;
  }
}
