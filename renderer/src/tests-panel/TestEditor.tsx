import { useId, useState } from 'react';
import type { ConversationTest, MessageExpectation, TextExpectation } from '../../../runtime/flow/conversationTestTypes.ts';
import { makeText, textModeOf, textValueOf, withText, type TextField, type TextMode } from '../../../runtime/flow/editConversationTests.ts';

const KIND_LABELS: Record<MessageExpectation['kind'], string> = {
  BotText: 'Says',
  ChoiceRequest: 'Asks',
  StartChatSession: 'Opens a chat box',
  EndChatSession: 'Closes the chat box',
  OperatorHandoff: 'Hands over to a person',
};

/**
 * The small editor of one test: its name, what the visitor does at each turn, and how strictly
 * each text the bot says is compared (exactly, contains, or a pattern). Saved as one undo step.
 */
export function TestEditor({ test, onSave, onCancel }: { test: ConversationTest; onSave(test: ConversationTest): void; onCancel(): void }) {
  const [draft, setDraft] = useState(test);
  const id = useId();
  const setTurn = (turn: number, update: (t: ConversationTest['turns'][number]) => ConversationTest['turns'][number]) =>
    setDraft((d) => ({ ...d, turns: d.turns.map((t, i) => (i === turn ? update(t) : t)) }));
  const setExpectation = (turn: number, index: number, field: TextField, text: TextExpectation) =>
    setTurn(turn, (t) => ({ ...t, bot: t.bot.map((e, i) => (i === index ? withText(e, field, text) : e)) }));

  return (
    <form
      className="test-editor"
      aria-label={`Edit test ${test.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        onSave({ ...draft, name: draft.name.trim() || test.name });
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
    >
      <label className="test-editor__name">
        Name
        <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
      </label>
      <ol className="test-editor__turns">
        {draft.turns.map((turn, t) => (
          <li key={t}>
            {t === 0 ? (
              <span className="test-editor__action">Start{draft.start ? <> at <code>{draft.start}</code></> : null}</span>
            ) : (
              <label className="test-editor__action">
                {turn.pick !== undefined ? 'Visitor picks' : 'Visitor types'}
                <input
                  value={turn.pick ?? turn.type ?? ''}
                  onChange={(e) => setTurn(t, (old) => (old.pick !== undefined ? { ...old, pick: e.target.value } : { ...old, type: e.target.value }))}
                />
              </label>
            )}
            <ul className="test-editor__bot">
              {turn.bot.map((expectation, m) => (
                <li key={m}>
                  <span className="test-editor__kind">{KIND_LABELS[expectation.kind]}</span>
                  {textsOf(expectation).map(([field, text, label]) => (
                    <TextRow key={label} id={`${id}-${t}-${m}-${label}`} label={label} text={text} onChange={(next) => setExpectation(t, m, field, next)} />
                  ))}
                </li>
              ))}
              {turn.bot.length === 0 && <li className="test-editor__none">The bot says nothing</li>}
            </ul>
          </li>
        ))}
      </ol>
      <div className="test-editor__buttons">
        <button type="submit" className="tone-primary">Save test</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

/** One text of an expectation: how it is compared, and the text. */
function TextRow({ id, label, text, onChange }: { id: string; label: string; text: TextExpectation; onChange(text: TextExpectation): void }) {
  const mode = textModeOf(text);
  const value = textValueOf(text);
  return (
    <div className="test-editor__text">
      <label htmlFor={`${id}-mode`} className="test-editor__label">{label}</label>
      <select id={`${id}-mode`} aria-label={`How ${label.toLowerCase()} is compared`} value={mode} onChange={(e) => onChange(makeText(e.target.value as TextMode, value))}>
        <option value="exact">is exactly</option>
        <option value="contains">contains</option>
        <option value="pattern">matches pattern</option>
      </select>
      <input aria-label={`${label} text`} value={value} onChange={(e) => onChange(makeText(mode, e.target.value))} />
    </div>
  );
}

function textsOf(expectation: MessageExpectation): [TextField, TextExpectation, string][] {
  switch (expectation.kind) {
    case 'BotText':
      return [['content', expectation.content, 'Text']];
    case 'ChoiceRequest':
      return [['question', expectation.question, 'Question'] as [TextField, TextExpectation, string], ...(expectation.choices ?? []).map((choice, c): [TextField, TextExpectation, string] => [{ choice: c }, choice, `Choice ${c + 1}`])];
    case 'StartChatSession':
      return expectation.chatPrompt === undefined ? [] : [['chatPrompt', expectation.chatPrompt, 'Prompt']];
    case 'EndChatSession':
      return [];
    case 'OperatorHandoff':
      return expectation.text === undefined ? [] : [['text', expectation.text, 'Message']];
  }
}
