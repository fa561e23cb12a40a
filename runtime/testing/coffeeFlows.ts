/** Test flows for publishing: a greeting and one question, in versions that rename the question or drop a branch. */
import { flowOf } from './testFlows.ts';
import { serializeFlow } from '../flow/serializeFlow.ts';
import type { State } from '../flow/types.ts';

/** "Hi (version)", then a question (group `drink` unless renamed) answered by "Espresso/Latte it is (version)". */
export function coffeeFlow(version: string, options: { groupId?: string; question?: string; withLatte?: boolean } = {}): string {
  const groupId = options.groupId ?? 'drink';
  const withLatte = options.withLatte ?? true;
  const states: Record<string, State> = {
    hello: { sendRequest: { kind: 'BotText', content: `Hi (${version})` }, next: 'ask' },
    ask: {
      sendRequest: {
        kind: 'ChoiceRequest',
        groupId,
        question: options.question ?? 'What would you like?',
        choices: [{ itemId: 'espresso', content: 'Espresso' }, ...(withLatte ? [{ itemId: 'latte', content: 'Latte' }] : [])],
      },
    },
    espresso: { matchResponse: { kind: 'ChoiceResponse', groupId, itemId: 'espresso' }, next: 'espressoDone' },
    espressoDone: { sendRequest: { kind: 'BotText', content: `Espresso it is (${version})` } },
  };
  if (withLatte) {
    states.latte = { matchResponse: { kind: 'ChoiceResponse', groupId, itemId: 'latte' }, next: 'latteDone' };
    states.latteDone = { sendRequest: { kind: 'BotText', content: `Latte it is (${version})` } };
  }
  return serializeFlow(flowOf(states));
}
