/**
 * A simulated visitor for tests and the benchmark: what a user could answer to a frame the
 * server sent (a choice picked by `pick`, or text for an open chat); undefined when the frame
 * asks for nothing.
 */
import type { Frame } from './wsTestClient.ts';

export function answerFor(frame: Frame, pick: (count: number, frame: Frame) => number = () => 0): Record<string, unknown> | undefined {
  if (frame.kind === 'ChoiceRequest' && Array.isArray(frame.choices) && frame.choices.length > 0) {
    const choice = frame.choices[pick(frame.choices.length, frame)] as { itemId: unknown; content: unknown };
    return { kind: 'ChoiceResponse', groupId: frame.groupId, itemId: choice.itemId, content: choice.content };
  }
  if (frame.kind === 'StartChatSession') return { kind: 'UserText', sessionId: frame.sessionId, content: 'TypeScript' };
  return undefined;
}
