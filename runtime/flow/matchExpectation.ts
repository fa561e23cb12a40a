/**
 * Does a message the bot sent meet an expectation, and how to say both in a report. Pure.
 */
import type { MessageExpectation, TextExpectation } from './conversationTestTypes.ts';
import { isPlainObject } from './isPlainObject.ts';
import type { RequestMessage } from './types.ts';

const patterns = new Map<string, RegExp | null>();

/** Does `text` meet the expectation? An invalid pattern matches nothing (the parser reports it). */
export function textMatches(expected: TextExpectation, text: unknown): boolean {
  if (typeof text !== 'string') return false;
  if (typeof expected === 'string') return text === expected;
  if ('contains' in expected) return text.includes(expected.contains);
  return compiledPattern(expected.pattern)?.test(text) ?? false;
}

function compiledPattern(source: string): RegExp | null {
  let regex = patterns.get(source);
  if (regex === undefined) {
    try {
      regex = new RegExp(source, 'u');
    } catch {
      regex = null;
    }
    if (patterns.size > 10_000) patterns.clear();
    patterns.set(source, regex);
  }
  return regex;
}

/** Does the message meet the expectation (kind, then each text the expectation names)? */
export function messageMatches(expected: MessageExpectation, message: RequestMessage): boolean {
  if (expected.kind !== message.kind) return false;
  switch (expected.kind) {
    case 'BotText':
      return textMatches(expected.content, (message as { content?: unknown }).content);
    case 'ChoiceRequest': {
      const request = message as { question?: unknown; choices?: unknown };
      if (!textMatches(expected.question, request.question)) return false;
      if (!expected.choices) return true;
      const choices = choiceTexts(message);
      return choices.length === expected.choices.length && expected.choices.every((choice, i) => textMatches(choice, choices[i]));
    }
    case 'StartChatSession':
      return expected.chatPrompt === undefined || textMatches(expected.chatPrompt, (message as { chatPrompt?: unknown }).chatPrompt);
    case 'EndChatSession':
      return true;
    case 'OperatorHandoff':
      return expected.text === undefined || textMatches(expected.text, (message as { text?: unknown }).text);
  }
}

/** The texts of a ChoiceRequest's choices, in order (non-text contents as ""). */
export function choiceTexts(message: unknown): string[] {
  const choices = isPlainObject(message) && Array.isArray(message.choices) ? message.choices : [];
  return choices.map((choice: unknown) => (isPlainObject(choice) && typeof choice.content === 'string' ? choice.content : ''));
}

/** The exact expectation of a message (what "Save as test" and "Accept the new behaviour" write). */
export function expectationOf(message: RequestMessage): MessageExpectation {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  switch (message.kind) {
    case 'BotText':
      return { kind: 'BotText', content: text(message.content) };
    case 'ChoiceRequest':
      return { kind: 'ChoiceRequest', question: text(message.question), choices: choiceTexts(message) };
    case 'StartChatSession':
      return typeof message.chatPrompt === 'string' ? { kind: 'StartChatSession', chatPrompt: message.chatPrompt } : { kind: 'StartChatSession' };
    case 'EndChatSession':
      return { kind: 'EndChatSession' };
    case 'OperatorHandoff':
      return typeof message.text === 'string' ? { kind: 'OperatorHandoff', text: message.text } : { kind: 'OperatorHandoff' };
  }
}

/**
 * The expectation to keep for `message` when accepting new behaviour: the old one while it still
 * matches (so a loosened "contains" stays loose), else the exact one.
 */
export function acceptedExpectation(old: MessageExpectation | undefined, message: RequestMessage): MessageExpectation {
  return old && messageMatches(old, message) ? old : expectationOf(message);
}

/** "the text containing \"Hi\"" style descriptions of an expectation. */
export function describeExpectation(expected: MessageExpectation): string {
  switch (expected.kind) {
    case 'BotText':
      return `text ${describeText(expected.content)}`;
    case 'ChoiceRequest': {
      const choices = expected.choices ? ` with choices ${expected.choices.map(describeText).join(', ') || '(none)'}` : '';
      return `question ${describeText(expected.question)}${choices}`;
    }
    case 'StartChatSession':
      return `opens a chat box${expected.chatPrompt === undefined ? '' : ` prompting ${describeText(expected.chatPrompt)}`}`;
    case 'EndChatSession':
      return 'closes the chat box';
    case 'OperatorHandoff':
      return `hands over to a person${expected.text === undefined ? '' : ` saying ${describeText(expected.text)}`}`;
  }
}

/** How a message the bot sent reads in a report. */
export function describeMessage(message: RequestMessage): string {
  switch (message.kind) {
    case 'BotText':
      return `text ${quote(message.content)}`;
    case 'ChoiceRequest':
      return `question ${quote(message.question)} with choices ${choiceTexts(message).map(quote).join(', ') || '(none)'}`;
    case 'StartChatSession':
      return `opens a chat box${typeof message.chatPrompt === 'string' ? ` prompting ${quote(message.chatPrompt)}` : ''}`;
    case 'EndChatSession':
      return 'closes the chat box';
    case 'OperatorHandoff':
      return `hands over to a person (queue ${quote(message.queue)})${typeof message.text === 'string' ? ` saying ${quote(message.text)}` : ''}`;
  }
}

export function describeText(expected: TextExpectation): string {
  if (typeof expected === 'string') return quote(expected);
  if ('contains' in expected) return `containing ${quote(expected.contains)}`;
  return `matching /${expected.pattern}/`;
}

function quote(text: unknown): string {
  const value = typeof text === 'string' ? text : String(text);
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
}
