/**
 * The flow file format (Contract 1 in the design note): an object of named states, in order;
 * the first key is the initial state. Pure types: no Node, no DOM.
 */

/** ids are compared loosely (`==`) like the original server did, so numbers and strings both occur. */
export type Id = string | number;

export interface BotText {
  kind: 'BotText';
  content: string;
}

export interface Choice {
  itemId: Id;
  content: string;
  [unknown: string]: unknown;
}

export interface ChoiceRequest {
  kind: 'ChoiceRequest';
  groupId: Id;
  question: string;
  choices: Choice[];
}

export interface StartChatSession {
  kind: 'StartChatSession';
  sessionId: Id;
  chatPrompt?: string;
  chatText?: string;
}

export interface EndChatSession {
  kind: 'EndChatSession';
  sessionId: Id;
}

/**
 * "Talk to a person": the bot says `text`, the session joins the operator queue `queue`, and the
 * visitor's typed text goes to the operator who claims it. The flow waits here (its `next` is not
 * followed at once): `next` is the fallback taken when no operator claims the session within
 * `timeoutSeconds`, and where "back to the flow" goes after an operator hands the session back.
 * The article's server does not know this kind: it sends it on and follows `next` at once.
 */
export interface OperatorHandoff {
  kind: 'OperatorHandoff';
  queue: string;
  text?: string;
  timeoutSeconds?: number;
}

export interface ChoiceResponse {
  kind: 'ChoiceResponse';
  groupId: Id;
  itemId: Id;
  content?: string;
}

export interface UserText {
  kind: 'UserText';
  sessionId: Id;
  content?: string;
}

export type RequestMessage = BotText | ChoiceRequest | StartChatSession | EndChatSession | OperatorHandoff;
export type ResponseMessage = ChoiceResponse | UserText;
export type RequestKind = RequestMessage['kind'];
export type ResponseKind = ResponseMessage['kind'];

export const REQUEST_KINDS: readonly RequestKind[] = ['BotText', 'ChoiceRequest', 'StartChatSession', 'EndChatSession', 'OperatorHandoff'];
export const RESPONSE_KINDS: readonly ResponseKind[] = ['ChoiceResponse', 'UserText'];

/**
 * One state's body. Unknown fields are kept (round trip is lossless), and key order is the
 * object's insertion order. A state that failed shape checks may hold values of the wrong
 * type: consumers must not trust the shape of a flow that has error diagnostics.
 */
export interface State {
  sendRequest?: RequestMessage;
  matchResponse?: ResponseMessage;
  next?: string;
  [unknown: string]: unknown;
}

export interface NamedState {
  name: string;
  state: State;
}

/** States in file order (an array, so names like "1" keep their place); states[0] is the initial state. */
export interface Flow {
  states: NamedState[];
}

/** How the source text was laid out, so serializing gives the same bytes back. */
export interface TextFormat {
  /** "\n" or "\r\n" */
  eol: string;
  /** true when the text ended with a line break */
  finalNewline: boolean;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem found in a flow file, with where it is and how to fix it. */
export interface Diagnostic {
  /** stable identifier, e.g. "next-missing" */
  code: string;
  severity: Severity;
  /** the state it concerns, when there is one */
  state?: string;
  /** JSON path, e.g. `greetings.sendRequest.choices[1].itemId` ('' for the whole file) */
  path: string;
  /** what is wrong and how to fix it */
  message: string;
  /** 1-based line and column, and 0-based offset/length into the source text, when known */
  line?: number;
  column?: number;
  offset?: number;
  length?: number;
}

/** A span in the source text. */
export interface SourceSpan {
  offset: number;
  length: number;
  line: number;
  column: number;
}
