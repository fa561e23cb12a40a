import { serializeFlow } from '../../../runtime/flow/serializeFlow.ts';
import type { Flow } from '../../../runtime/flow/types.ts';

export interface FlowTemplate {
  id: string;
  label: string;
  description: string;
  flow: Flow;
}

/** Starting points for New. */
export const TEMPLATES: readonly FlowTemplate[] = [
  {
    id: 'greeting',
    label: 'Greeting and a question',
    description: 'Say hello, ask one question with two answers, and reply to each.',
    flow: {
      states: [
        { name: 'greetings', state: { sendRequest: { kind: 'BotText', content: 'Hi! How can I help?' }, next: 'topic' } },
        {
          name: 'topic',
          state: {
            sendRequest: {
              kind: 'ChoiceRequest',
              groupId: 'topic',
              question: 'What are you looking for?',
              choices: [
                { itemId: 'pricing', content: 'Pricing' },
                { itemId: 'support', content: 'Support' },
              ],
            },
          },
        },
        { name: 'topicPricing', state: { matchResponse: { kind: 'ChoiceResponse', groupId: 'topic', itemId: 'pricing' }, next: 'pricing' } },
        { name: 'topicSupport', state: { matchResponse: { kind: 'ChoiceResponse', groupId: 'topic', itemId: 'support' }, next: 'support' } },
        { name: 'pricing', state: { sendRequest: { kind: 'BotText', content: 'Our plans start at <b>$10</b> a month.' } } },
        { name: 'support', state: { sendRequest: { kind: 'BotText', content: 'Write to <a href="mailto:help@example.com">help@example.com</a>.' } } },
      ],
    },
  },
  {
    id: 'empty',
    label: 'Blank',
    description: 'One message to start from.',
    flow: { states: [{ name: 'greetings', state: { sendRequest: { kind: 'BotText', content: 'Hello!' } } }] },
  },
];

/** A template's file text. */
export function templateText(template: FlowTemplate): string {
  return serializeFlow(template.flow);
}
