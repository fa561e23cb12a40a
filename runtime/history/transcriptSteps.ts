/**
 * Cuts a transcript into replay steps: each start marker or user answer opens a step, and the bot
 * requests after it (until the next one) are what the runtime sent for it. Pure.
 */
import type { TranscriptEntry } from './historyTypes.ts';
import type { RecordedStep } from './replaySession.ts';
import { stepPrint } from './stepPrint.ts';

export interface TranscriptStep extends RecordedStep {
  /** index of the step's first and last transcript entries */
  first: number;
  last: number;
}

/** The steps of a transcript, in order. Requests before any start marker are left out. */
export function transcriptSteps(entries: readonly TranscriptEntry[]): TranscriptStep[] {
  const steps: TranscriptStep[] = [];
  let open: { first: number; last: number; event: RecordedStep['event']; states: (string | undefined)[]; requests: unknown[] } | null = null;
  const close = () => {
    if (!open) return;
    const tagged = open.states.every((s) => s !== undefined);
    steps.push({
      event: open.event,
      print: stepPrint(open.states, open.requests),
      sentRequests: open.requests.length > 0,
      ...(tagged ? { states: open.states as string[] } : {}),
      first: open.first,
      last: open.last,
    });
    open = null;
  };
  entries.forEach((entry, index) => {
    const event = eventOf(entry);
    if (event) {
      close();
      open = { first: index, last: index, event, states: [], requests: [] };
    } else if (entry.kind === 'request' && open) {
      open.states.push(entry.state);
      open.requests.push(entry.message);
      open.last = index;
    }
  });
  close();
  return steps;
}

function eventOf(entry: TranscriptEntry): RecordedStep['event'] | undefined {
  if (entry.kind === 'start') return { kind: 'start' };
  if (entry.kind === 'reset') return { kind: 'reset' };
  if (entry.kind === 'operator' && entry.message?.kind === 'OperatorRelease') {
    const { resumeAt, end } = entry.message as { resumeAt?: unknown; end?: unknown };
    return { kind: 'resume', ...(typeof resumeAt === 'string' ? { at: resumeAt } : {}), ...(end === true ? { end: true } : {}) };
  }
  if (entry.kind === 'response' && entry.message && (entry.message.kind === 'ChoiceResponse' || entry.message.kind === 'UserText')) {
    return { kind: 'response', response: entry.message as { kind: string; [field: string]: unknown } };
  }
  return undefined;
}
