import { isPlainObject } from '../../../runtime/flow/isPlainObject.ts';
import { isId } from '../../../runtime/flow/looseId.ts';
import type { Flow, Id, State } from '../../../runtime/flow/types.ts';

/** The kinds an author can create. */
export type NewStateKind = 'BotText' | 'ChoiceRequest' | 'StartChatSession' | 'EndChatSession' | 'ChoiceResponse' | 'UserText' | 'OperatorHandoff';

/** The base of a new state's name, by kind (made unique with a number). */
export const NAME_BASE: Readonly<Record<NewStateKind, string>> = {
  BotText: 'message',
  ChoiceRequest: 'question',
  StartChatSession: 'openChat',
  EndChatSession: 'closeChat',
  ChoiceResponse: 'onChoice',
  UserText: 'onText',
  OperatorHandoff: 'talkToPerson',
};

/**
 * A sensible body for a new state of `kind` in `flow`: new questions and chats get fresh ids;
 * matchers and "close" steps refer to the latest question or chat, so they work at once.
 */
export function newStateBody(flow: Flow, kind: NewStateKind): State {
  switch (kind) {
    case 'BotText':
      return { sendRequest: { kind, content: 'New message' } };
    case 'ChoiceRequest':
      return {
        sendRequest: {
          kind,
          groupId: freshId(idsOf(flow, 'ChoiceRequest', 'groupId'), 'group'),
          question: 'What would you like?',
          choices: [
            { itemId: 'yes', content: 'Yes' },
            { itemId: 'no', content: 'No' },
          ],
        },
      };
    case 'StartChatSession':
      return {
        // Like an input block in other builders: a text box with a placeholder; what to ask is the step before's to say.
        sendRequest: { kind, sessionId: freshId(idsOf(flow, 'StartChatSession', 'sessionId'), 'chat'), chatPrompt: 'Type here...' },
      };
    case 'EndChatSession':
      return { sendRequest: { kind, sessionId: idsOf(flow, 'StartChatSession', 'sessionId').at(-1) ?? 'chat' } };
    case 'ChoiceResponse': {
      const question = lastRequest(flow, 'ChoiceRequest');
      const choices = Array.isArray(question?.choices) ? question.choices : [];
      const first = choices.find((c): c is { itemId: Id } => isPlainObject(c) && isId(c.itemId));
      return { matchResponse: { kind, groupId: isId(question?.groupId) ? question.groupId : 'group', itemId: first?.itemId ?? 'yes' } };
    }
    case 'UserText':
      return { matchResponse: { kind, sessionId: idsOf(flow, 'StartChatSession', 'sessionId').at(-1) ?? 'chat' } };
    case 'OperatorHandoff':
      return { sendRequest: { kind, queue: 'support', text: 'Let me find someone for you…', timeoutSeconds: 120 } };
  }
}

function lastRequest(flow: Flow, kind: string): Record<string, unknown> | undefined {
  for (let i = flow.states.length - 1; i >= 0; i--) {
    const request = flow.states[i].state.sendRequest;
    if (isPlainObject(request) && request.kind === kind) return request;
  }
  return undefined;
}

function idsOf(flow: Flow, kind: string, field: string): Id[] {
  const ids: Id[] = [];
  for (const { state } of flow.states) {
    const request = state.sendRequest;
    if (isPlainObject(request) && request.kind === kind && isId(request[field])) ids.push(request[field] as Id);
  }
  return ids;
}

function freshId(taken: Id[], base: string): string {
  const names = new Set(taken.map(String));
  if (!names.has(base)) return base;
  for (let n = 2; ; n++) if (!names.has(`${base}${n}`)) return `${base}${n}`;
}
