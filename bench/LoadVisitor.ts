/**
 * One simulated visitor of the runtime benchmark: a real `ws` client with its own session cookie,
 * walking the article's flow ("Any other?" is always yes so the walk never ends; languages are
 * random, so the chat path runs too). Latency is measured from sending an answer to the frame that
 * ends the bot's reply (the next question). To keep the generator cheap, only question frames are
 * parsed (to pick an answer); other frames are told apart by their first bytes.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket, type RawData } from 'ws';
import { SESSION_COOKIE } from '../runtime/server/sessionCookie.ts';
import type { LatencyHistogram } from './LatencyHistogram.ts';

/** Every server frame is `JSON.stringify` of a message whose first key is `kind`. */
const QUESTION_PREFIXES = ['{"kind":"ChoiceRequest"', '{"kind":"StartChatSession"'];
const ERROR_PREFIX = '{"kind":"Error"';
/** the bot's frames, as opposed to the visitor's own answers echoed on replay */
const REQUEST_PREFIXES = ['{"kind":"BotText"', '{"kind":"ChoiceRequest"', '{"kind":"StartChatSession"', '{"kind":"EndChatSession"'];

export type VisitorMode = 'closed' | 'manual';

/** The answer a visitor gives to a question frame (random language; always "yes" to "Any other?"). */
export function answerTo(questionText: string): string {
  const question = JSON.parse(questionText) as { kind: string; groupId?: unknown; sessionId?: unknown; choices?: { itemId: unknown; content: unknown }[] };
  if (question.kind === 'StartChatSession') return JSON.stringify({ kind: 'UserText', sessionId: question.sessionId, content: 'TypeScript' });
  const choices = question.choices ?? [];
  const choice = choices[question.groupId === 'others' ? 0 : Math.floor(Math.random() * choices.length)];
  return JSON.stringify({ kind: 'ChoiceResponse', groupId: question.groupId, itemId: choice.itemId, content: choice.content });
}

export const isRequestFrame = (text: string): boolean => REQUEST_PREFIXES.some((prefix) => text.startsWith(prefix));

export class LoadVisitor {
  ws!: WebSocket;
  sid: string | undefined;
  /** completed turns (answer sent, reply's question received) */
  turns = 0;
  /** frames received + answers sent: what a replay of this session holds */
  historyLength = 0;
  errors = 0;
  /** in closed mode, answer each question as soon as it arrives */
  running = false;
  /** in closed mode, stop answering after this many turns */
  turnLimit = Infinity;
  /** the bot's frames as received, when asked to keep them (the durability check) */
  readonly requests: string[] | undefined;
  private question: string | undefined;
  private sentAt = 0;
  private ready!: () => void;
  /** resolves once the first question is on screen */
  readonly firstQuestion = new Promise<void>((resolve) => (this.ready = resolve));

  constructor(
    private readonly latencies: LatencyHistogram,
    private readonly mode: VisitorMode,
    keepRequests = false,
  ) {
    this.requests = keepRequests ? [] : undefined;
  }

  /** Open the socket (resuming `sid` when given) and wait until it is open. */
  connect(url: string, sid?: string): Promise<void> {
    this.sid = sid;
    const headers = sid ? { Cookie: `${SESSION_COOKIE}=${sid}` } : undefined;
    const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers, perMessageDeflate: false });
    this.ws = ws;
    ws.on('upgrade', (res) => {
      const line = res.headers['set-cookie']?.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
      if (line) this.sid = line.slice(SESSION_COOKIE.length + 1).split(';', 1)[0];
    });
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    const text = isBinary ? '' : (data as Buffer).toString();
    if (text.startsWith(ERROR_PREFIX)) {
      this.errors++;
      return;
    }
    this.historyLength++;
    if (this.requests && isRequestFrame(text)) this.requests.push(text);
    if (!QUESTION_PREFIXES.some((prefix) => text.startsWith(prefix))) return;
    if (this.sentAt) {
      this.latencies.record(performance.now() - this.sentAt);
      this.turns++;
      this.sentAt = 0;
    }
    this.question = text;
    this.ready();
    if (this.mode === 'closed' && this.running && this.turns < this.turnLimit) this.answer();
  }

  /** Answer the question on screen, if any (a visitor still waiting for its reply does nothing). */
  answer(): void {
    const question = this.question;
    if (question === undefined || this.ws.readyState !== WebSocket.OPEN) return;
    this.question = undefined;
    this.sentAt = performance.now();
    this.historyLength++;
    this.ws.send(answerTo(question));
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Open `count` visitors, 100 at a time, each waiting for its first question. */
export async function openVisitors(url: string, count: number, latencies: LatencyHistogram, mode: VisitorMode, keepRequests = false): Promise<LoadVisitor[]> {
  const visitors: LoadVisitor[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, () => new LoadVisitor(latencies, mode, keepRequests));
    await Promise.all(batch.map((v) => v.connect(url)));
    await Promise.all(batch.map((v) => v.firstQuestion));
    visitors.push(...batch);
  }
  return visitors;
}
