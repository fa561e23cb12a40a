import type { TranscriptEntry } from '../host/studioHost.ts';
import { HtmlPreview } from '../inspector/HtmlPreview.tsx';
import type { Replay } from './useReplay.ts';

interface Choice {
  itemId: string | number;
  content: string;
}

const timeOf = (timestamp: string) => timestamp.slice(11, 19);

/**
 * The recorded conversation as the widget showed it, up to the replay's current step: the bot on
 * the left (its HTML sanitized like the inspector's preview), the user on the right, choices with
 * the one picked marked, and a label on every step the current draft would route differently.
 */
export function TranscriptView({ entries, replay }: { entries: TranscriptEntry[]; replay: Replay }) {
  const shownSteps = replay.steps.slice(0, replay.step);
  const lastShown = shownSteps.length > 0 ? shownSteps[shownSteps.length - 1].last : -1;
  const stepAt = new Map(shownSteps.map((step, i) => [step.first, i]));
  const items = [];
  for (let i = 0; i <= lastShown; i++) {
    const entry = entries[i];
    const stepIndex = stepAt.get(i);
    const difference = stepIndex === undefined ? null : replay.result.steps[stepIndex]?.difference;
    if (difference) {
      items.push(
        <div key={`flag-${i}`} className="transcript__flag" role="note" data-testid="route-differs">
          ⚠ Step {stepIndex! + 1} routes differently in the current draft: {difference}
        </div>,
      );
    }
    items.push(<TranscriptItem key={entry.offset} entry={entry} entries={entries} index={i} current={isInStep(replay, i)} />);
  }
  return (
    <div className="transcript" aria-label="Transcript" data-testid="transcript">
      {items}
    </div>
  );
}

function isInStep(replay: Replay, index: number): boolean {
  const step = replay.steps[replay.step - 1];
  return step !== undefined && index >= step.first && index <= step.last;
}

function TranscriptItem({ entry, entries, index, current }: { entry: TranscriptEntry; entries: TranscriptEntry[]; index: number; current: boolean }) {
  const message = (entry.message ?? {}) as Record<string, unknown>;
  const cls = (side: string) => `bubble bubble--${side}${current ? ' is-current' : ''}`;
  const stamp = <time className="bubble__time" dateTime={entry.timestamp}>{timeOf(entry.timestamp)}</time>;
  if (entry.kind === 'start') return <div className="transcript__divider">Session started {entry.timestamp.replace('T', ' ').slice(0, 19)}</div>;
  if (entry.kind === 'reset') return <div className="transcript__divider">The user restarted the conversation · {timeOf(entry.timestamp)}</div>;
  if (entry.kind === 'operator') return <OperatorItem message={message} stamp={stamp} time={timeOf(entry.timestamp)} className={cls('operator')} />;
  if (entry.kind === 'response') {
    const text = message.kind === 'ChoiceResponse' ? choiceText(entries, index, message) : String(message.content ?? '');
    return (
      <div className={cls('user')} data-testid="bubble-user">
        <div className="bubble__text">{text}</div>
        {stamp}
      </div>
    );
  }
  switch (message.kind) {
    case 'BotText':
      return (
        <div className={cls('bot')} data-testid="bubble-bot" data-state={entry.state}>
          <HtmlPreview html={String(message.content ?? '')} />
          {stamp}
        </div>
      );
    case 'ChoiceRequest': {
      const chosen = chosenItem(entries, index, message.groupId);
      const choices = Array.isArray(message.choices) ? (message.choices as Choice[]) : [];
      return (
        <div className={cls('bot')} data-testid="bubble-bot" data-state={entry.state}>
          <HtmlPreview html={String(message.question ?? '')} />
          <ul className="bubble__choices">
            {choices.map((choice) => (
              // eslint-disable-next-line eqeqeq -- ids compare loosely, like the runtime
              <li key={String(choice.itemId)} className={chosen != null && chosen == choice.itemId ? 'is-chosen' : undefined}>
                <HtmlPreview html={String(choice.content ?? choice.itemId)} />
              </li>
            ))}
          </ul>
          {stamp}
        </div>
      );
    }
    case 'StartChatSession':
      return <div className="transcript__divider">{String(message.chatText || 'Text box opened')} · {timeOf(entry.timestamp)}</div>;
    case 'EndChatSession':
      return <div className="transcript__divider">Text box closed · {timeOf(entry.timestamp)}</div>;
    default:
      return <div className="transcript__divider">{String(message.kind)} · {timeOf(entry.timestamp)}</div>;
  }
}

/** The item the user picked for the question at `index` (the first answer to its group after it). */
function chosenItem(entries: TranscriptEntry[], index: number, groupId: unknown): unknown {
  for (let i = index + 1; i < entries.length; i++) {
    const m = entries[i].message as Record<string, unknown> | undefined;
    // eslint-disable-next-line eqeqeq -- ids compare loosely, like the runtime
    if (entries[i].kind === 'response' && m?.kind === 'ChoiceResponse' && m.groupId == groupId) return m.itemId;
  }
  return undefined;
}

/** What the user saw on the button they picked: the choice's text from the question asked before. */
function choiceText(entries: TranscriptEntry[], index: number, message: Record<string, unknown>): string {
  if (typeof message.content === 'string' && message.content) return message.content;
  for (let i = index - 1; i >= 0; i--) {
    const m = entries[i].message as Record<string, unknown> | undefined;
    // eslint-disable-next-line eqeqeq -- ids compare loosely, like the runtime
    if (m?.kind === 'ChoiceRequest' && m.groupId == message.groupId && Array.isArray(m.choices)) {
      // eslint-disable-next-line eqeqeq
      const choice = (m.choices as Choice[]).find((c) => c.itemId == message.itemId);
      if (choice) return choice.content.replace(/<[^>]*>/g, '');
    }
  }
  return String(message.itemId);
}

/** What an operator did (issue 14): their messages as text bubbles with their name, the rest as a divider. */
function OperatorItem({ message, stamp, time, className }: { message: Record<string, unknown>; stamp: React.ReactNode; time: string; className: string }) {
  const name = String(message.name ?? 'The operator');
  if (message.kind === 'OperatorText') {
    return (
      <div className={className} data-testid="bubble-operator">
        <div className="bubble__name">{name}</div>
        <div className="bubble__text">{String(message.content ?? '')}</div>
        {stamp}
      </div>
    );
  }
  const what =
    message.kind === 'OperatorClaim' ? `${name} took the conversation`
    : message.kind === 'OperatorUnclaim' ? `${name} left; back in the queue`
    : message.reason === 'timeout' ? 'No operator in time: the bot went on'
    : `${name} handed back to the bot${message.end ? ' (conversation ended)' : typeof message.resumeAt === 'string' ? ` at "${message.resumeAt}"` : ''}`;
  return <div className="transcript__divider">{what} · {time}</div>;
}
