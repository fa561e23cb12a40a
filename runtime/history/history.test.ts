import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkFlowText } from '../flow/checkFlowText.ts';
import { compileFlow } from '../flow/compileFlow.ts';
import { flowHash } from '../flow/flowHash.ts';
import { emptyPending, type PendingState } from '../flow/pendingState.ts';
import { stepSession } from '../flow/stepSession.ts';
import type { Flow } from '../flow/types.ts';
import { openEmbeddedLog, type EmbeddedLog } from '../stream/EmbeddedLog.ts';
import type { StreamRecord } from '../stream/messageStream.ts';
import { HistoryInputError } from './HistoryInputError.ts';
import { MAX_TEXT_CHARS } from './SessionCatalog.ts';
import { replaySession, sendersOf } from './replaySession.ts';
import { openSessionHistory, type SessionHistory } from './sessionHistory.ts';
import { transcriptSteps } from './transcriptSteps.ts';

const ARTICLE_TEXT = await readFile(new URL('../../state-machines/bot-assistant.json', import.meta.url), 'utf8');
const ARTICLE = checkFlowText(ARTICLE_TEXT).flow!;
const RUST = { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'rust' };
const OTHER = { kind: 'ChoiceResponse', groupId: 'lang', itemId: 'other' };
const NO = { kind: 'ChoiceResponse', groupId: 'others', itemId: 'no' };
const KOTLIN = { kind: 'UserText', sessionId: 'langPreference', content: 'Kotlin' };

interface ConversationOptions {
  /** tag requests with their state and the start marker with flowHash (what the runtime does now) */
  tagged?: boolean;
  preview?: boolean;
  /** the flow file's name on the start marker (what the studio's sessions carry) */
  flow?: string;
  /** the timestamp of step i */
  at: (step: number) => string;
}

/** The records the runtime writes for a conversation: each step's event record, then its requests. */
function conversation(flow: Flow, sid: string, answers: object[], options: ConversationOptions): StreamRecord[] {
  const compiled = compileFlow(flow);
  const tagged = options.tagged ?? true;
  const records: StreamRecord[] = [];
  let pending: PendingState = emptyPending();
  [null, ...answers].forEach((answer, i) => {
    const timestamp = options.at(i);
    const step = stepSession(compiled, pending, answer === null ? { kind: 'start' } : { kind: 'response', response: answer as { kind: string } });
    if (!step.ok) throw new Error(`test conversation ${sid} step ${i}: ${step.message}`);
    const first: StreamRecord = answer === null ? { sid, timestamp } : { sid, payload: { kind: 'Response', message: answer as { kind: string } }, timestamp };
    if (answer === null && tagged) first.flowHash = flowHash(flow);
    if (answer === null && options.preview) first.preview = true;
    if (answer === null && options.flow !== undefined) first.flow = options.flow;
    records.push(first);
    const senders = sendersOf(compiled, step.visited);
    step.requests.forEach((message, r) => records.push({ sid, payload: { kind: 'Request', message }, timestamp, ...(tagged ? { state: senders[r] } : {}) }));
    pending = step.pending;
  });
  return records;
}

const day = (d: number, i = 0) => (step: number) => `2024-05-0${d}T10:0${i}:0${step}.000`;

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not met within 2 s');
}

describe('session history over a real embedded log', () => {
  let dir: string;
  let log: EmbeddedLog;
  let history: SessionHistory;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'history-'));
    log = await openEmbeddedLog({ dir, logger: { info() {}, warn() {} } });
    // A: choice path to the end (day 1); B: chat path, waits at anyOtherChoices (day 2, preview);
    // C: only started, waits at langChoices (day 3, old untagged records).
    await log.append(conversation(ARTICLE, 'session-a', [RUST, NO], { at: day(1) }));
    await log.append(conversation(ARTICLE, 'session-b', [OTHER, KOTLIN], { at: day(2), preview: true }));
    await log.append(conversation(ARTICLE, 'session-c', [], { at: day(3), tagged: false }));
    history = openSessionHistory(log);
  });

  afterEach(async () => {
    history.close();
    await log.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists each session with its times, messages, kind, hash, state and end, newest first', async () => {
    const page = await history.listSessions({});
    expect(page.total).toBe(3);
    expect(page.nextCursor).toBeNull();
    expect(page.sessions.map((s) => s.sid)).toEqual(['session-c', 'session-b', 'session-a']);
    const [c, b, a] = page.sessions;
    expect(a).toEqual({
      sid: 'session-a', started: '2024-05-01T10:00:00.000', lastActivity: '2024-05-01T10:00:02.000', messages: 6, kind: 'real',
      flowHash: flowHash(ARTICLE), flow: null, state: 'done', request: { kind: 'BotText', content: 'Great, thanks!' }, endedAtFinal: true, waiting: false, reset: false,
    });
    expect(b).toMatchObject({ kind: 'preview', state: 'anyOtherChoices', endedAtFinal: false, waiting: true, messages: 7 });
    expect(c).toMatchObject({ kind: 'real', flowHash: null, state: null, endedAtFinal: false, waiting: true, messages: 2 });
    expect(b.request).toMatchObject({ kind: 'ChoiceRequest', question: 'Any other?' });
  });

  it('names each session\'s flow: its own tag, else the flow a tagged session with the same content ran; filters by flow', async () => {
    const sids = async (query: object) => (await history.listSessions(query)).sessions.map((s) => s.sid);
    const other = structuredClone(ARTICLE);
    other.states[0].state.sendRequest = { kind: 'BotText', content: 'Hello from the other flow' };
    // A preview of the article under its file name, one of another flow, and a real session on that other flow's content without a name.
    await log.append(conversation(ARTICLE, 'session-named', [RUST], { at: day(4), preview: true, flow: 'bot-assistant.json' }));
    await log.append(conversation(other, 'session-other', [RUST], { at: day(5), preview: true, flow: 'other.json' }));
    await log.append(conversation(other, 'session-other-real', [], { at: day(6) }));
    await until(() => history.listSessions({}), (p) => p.total === 6);
    const page = await history.listSessions({});
    const flowOf = Object.fromEntries(page.sessions.map((s) => [s.sid, s.flow]));
    // session-a ran the article's content: mapped by hash; session-c has no hash: unknown.
    expect(flowOf).toEqual({ 'session-a': 'bot-assistant.json', 'session-b': 'bot-assistant.json', 'session-c': null, 'session-named': 'bot-assistant.json', 'session-other': 'other.json', 'session-other-real': 'other.json' });
    expect(await sids({ flow: 'other.json' })).toEqual(['session-other-real', 'session-other']);
    expect(await sids({ flow: 'bot-assistant.json', kind: 'real' })).toEqual(['session-a']);
    expect(await sids({ flow: 'nothing.json' })).toEqual([]);
    expect((await history.getTranscript('session-named')).flow).toBe('bot-assistant.json');
    expect((await history.getTranscript('session-a')).flow).toBeNull();
    // Coverage of one flow's real sessions leaves the other flow's and the previews out.
    const coverage = await history.getCoverage(ARTICLE_TEXT, { filter: { flow: 'bot-assistant.json', kind: 'real' } });
    expect(coverage.sessions).toBe(1);
  });

  it('filters by text (sid or state), kind and date range, and refuses malformed filters', async () => {
    const sids = async (query: object) => (await history.listSessions(query)).sessions.map((s) => s.sid);
    expect(await sids({ query: 'SESSION-B' })).toEqual(['session-b']);
    expect(await sids({ query: 'done' })).toEqual(['session-a']);
    expect(await sids({ kind: 'preview' })).toEqual(['session-b']);
    expect(await sids({ kind: 'real' })).toEqual(['session-c', 'session-a']);
    expect(await sids({ from: '2024-05-02' })).toEqual(['session-c', 'session-b']);
    expect(await sids({ to: '2024-05-02' })).toEqual(['session-b', 'session-a']);
    expect(await sids({ from: '2024-05-02', to: '2024-05-02T23:59' })).toEqual(['session-b']);
    await expect(history.listSessions({ from: 'yesterday' })).rejects.toThrow(/from must be a date like 2024-05-01/);
    await expect(history.listSessions({ kind: 'bots' as 'real' })).rejects.toBeInstanceOf(HistoryInputError);
    await expect(history.listSessions({ limit: 0 })).rejects.toThrow(/limit must be a whole number from 1 to 500/);
  });

  it('finds sessions by what the user typed or picked, case-insensitively, live and after a reopen, within the digest cap', async () => {
    const sids = async (query: object) => (await history.listSessions(query)).sessions.map((s) => s.sid);
    // session-b typed "Kotlin"; RUST has no content (an old widget), so only typed text and labels count.
    expect(await sids({ query: 'kotLIN' })).toEqual(['session-b']);
    expect(await sids({ query: 'rust' })).toEqual([]);
    const refund = { kind: 'UserText', sessionId: 'langPreference', content: 'I want a REFUND, please' };
    await log.append(conversation(ARTICLE, 'session-r', [{ ...OTHER, content: 'Something else' }, refund], { at: day(4) }));
    // A long talker: the word after the cap is not found, the one before it is.
    const long = conversation(ARTICLE, 'session-long', [OTHER, { ...KOTLIN, content: `${'x'.repeat(MAX_TEXT_CHARS - 20)} early-word ${'y'.repeat(40)} late-word` }], { at: day(5) });
    await log.append(long);
    await until(() => history.listSessions({}), (p) => p.total === 5);
    expect(await sids({ query: 'refund' })).toEqual(['session-r']);
    expect(await sids({ query: 'something else' })).toEqual(['session-r']);
    expect(await sids({ query: 'refund', kind: 'preview' })).toEqual([]);
    expect(await sids({ query: 'refund', from: '2024-05-05' })).toEqual([]);
    expect(await sids({ query: 'early-word' })).toEqual(['session-long']);
    expect(await sids({ query: 'late-word' })).toEqual([]);

    history.close();
    await log.close();
    log = await openEmbeddedLog({ dir, logger: { info() {}, warn() {} } });
    history = openSessionHistory(log);
    expect(await sids({ query: 'Refund' })).toEqual(['session-r']);
  });

  it('counts coverage over the sessions a listing filter matches', async () => {
    const real = await history.getCoverage(ARTICLE_TEXT, { filter: { kind: 'real' } });
    expect(real).toMatchObject({ sessions: 2, reachedEnd: 1 });
    expect(real.states.find((s) => s.state === 'langChoiceOther')!.passed).toBe(0);
    const typed = await history.getCoverage(ARTICLE_TEXT, { filter: { query: 'kotlin' } });
    expect(typed).toMatchObject({ sessions: 1, reachedEnd: 0 });
    expect(typed.states.find((s) => s.state === 'getLangPrefResponse')!.passed).toBe(1);
    expect(typed.states.find((s) => s.state === 'langChoiceRust')!.passed).toBe(0);
    const none = await history.getCoverage(ARTICLE_TEXT, { filter: { from: '2030-01-01' } });
    expect(none).toMatchObject({ sessions: 0, neverVisited: ARTICLE.states.map((s) => s.name) });
    // The cached answer follows new sessions that match.
    await log.append(conversation(ARTICLE, 'session-k', [OTHER, KOTLIN], { at: day(6) }));
    await until(() => history.getCoverage(ARTICLE_TEXT, { filter: { query: 'kotlin' } }), (c) => c.sessions === 2);
    await expect(history.getCoverage(ARTICLE_TEXT, { filter: { from: 'soon' } })).rejects.toThrow(/from must be a date/);
  });

  it('pages with a cursor without repeating or skipping sessions', async () => {
    for (let i = 0; i < 7; i++) await log.append(conversation(ARTICLE, `extra-${i}`, [RUST], { at: day(4, i) }));
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await until(() => history.listSessions({ limit: 4, cursor }), (p) => p.total === 10);
      sizes.push(page.sessions.length);
      seen.push(...page.sessions.map((s) => s.sid));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([4, 4, 2]);
    expect(seen).toEqual(['extra-6', 'extra-5', 'extra-4', 'extra-3', 'extra-2', 'extra-1', 'extra-0', 'session-c', 'session-b', 'session-a']);
  });

  it('follows new appends without re-reading: new sessions and new steps of old ones', async () => {
    expect((await history.listSessions({})).total).toBe(3);
    await log.append(conversation(ARTICLE, 'session-d', [], { at: day(5) }));
    await log.append([
      { sid: 'session-c', payload: { kind: 'Response', message: RUST }, timestamp: '2024-05-06T09:00:00.000' },
      { sid: 'session-c', payload: { kind: 'Request', message: ARTICLE.states[8].state.sendRequest! }, timestamp: '2024-05-06T09:00:00.000', state: 'anyOtherChoices' },
    ]);
    const page = await until(() => history.listSessions({}), (p) => p.total === 4 && p.sessions[0].sid === 'session-c');
    expect(page.sessions.map((s) => s.sid)).toEqual(['session-c', 'session-d', 'session-b', 'session-a']);
    expect(page.sessions[0]).toMatchObject({ messages: 4, state: 'anyOtherChoices', lastActivity: '2024-05-06T09:00:00.000' });
  });

  it('finds the sessions again after the log is closed and reopened', async () => {
    history.close();
    await log.close();
    log = await openEmbeddedLog({ dir, logger: { info() {}, warn() {} } });
    history = openSessionHistory(log);
    const page = await history.listSessions({});
    expect(page.sessions.map((s) => [s.sid, s.state])).toEqual([['session-c', null], ['session-b', 'anyOtherChoices'], ['session-a', 'done']]);
  });

  it('reads a transcript with timestamps, states and the user answers, and 404s an unknown sid', async () => {
    const transcript = await history.getTranscript('session-a');
    expect(transcript).toMatchObject({ sid: 'session-a', kind: 'real', flowHash: flowHash(ARTICLE) });
    expect(transcript.entries.map((e) => [e.kind, e.state ?? e.message?.kind ?? ''])).toEqual([
      ['start', ''], ['request', 'greetings'], ['request', 'langChoices'],
      ['response', 'ChoiceResponse'], ['request', 'anyOtherChoices'],
      ['response', 'ChoiceResponse'], ['request', 'done'],
    ]);
    expect(transcript.entries[3]).toMatchObject({ timestamp: '2024-05-01T10:00:01.000', message: RUST });
    expect(transcript.entries.map((e) => e.offset)).toEqual([...transcript.entries.map((e) => e.offset)].sort((x, y) => x - y));
    await expect(history.getTranscript('nope')).rejects.toMatchObject({ status: 404, message: 'No recorded session has the id "nope".' });
  });

  it('counts coverage per state and per edge as hand-computed, with drop-offs and never-visited states', async () => {
    const coverage = await history.getCoverage(ARTICLE_TEXT, 'all');
    expect(coverage).toMatchObject({ sessions: 3, reachedEnd: 1, differingCount: 0, neverVisited: ['langChoiceGo', 'anyOtherYes'] });
    const byState = Object.fromEntries(coverage.states.map((s) => [s.state, [s.passed, s.droppedOff]]));
    expect(byState).toEqual({
      greetings: [3, 0], langChoices: [3, 1], langChoiceRust: [1, 0], langChoiceGo: [0, 0], langChoiceOther: [1, 0],
      startLangPrefSession: [1, 0], getLangPrefResponse: [1, 0], endLangPrefSession: [1, 0], anyOtherChoices: [2, 1],
      anyOtherYes: [0, 0], anyOtherNo: [1, 0], done: [1, 0],
    });
    const byEdge = Object.fromEntries(coverage.edges.map((e) => [e.id, e.count]));
    expect(byEdge).toEqual({
      'next:9:greetings->langChoices': 3,
      'answer:11:langChoices/11:choice:rust->langChoiceRust': 1,
      'answer:11:langChoices/12:choice:other->langChoiceOther': 1,
      'next:14:langChoiceRust->anyOtherChoices': 1,
      'next:15:langChoiceOther->startLangPrefSession': 1,
      'answer:20:startLangPrefSession/4:chat->getLangPrefResponse': 1,
      'next:19:getLangPrefResponse->endLangPrefSession': 1,
      'next:18:endLangPrefSession->anyOtherChoices': 1,
      'answer:15:anyOtherChoices/9:choice:no->anyOtherNo': 1,
      'next:10:anyOtherNo->done': 1,
    });
    const some = await history.getCoverage(ARTICLE_TEXT, ['session-a', 'session-c']);
    expect(some).toMatchObject({ sessions: 2, reachedEnd: 1, neverVisited: ['langChoiceGo', 'langChoiceOther', 'startLangPrefSession', 'getLangPrefResponse', 'endLangPrefSession', 'anyOtherYes'] });
    await expect(history.getCoverage(ARTICLE_TEXT, ['ghost'])).rejects.toMatchObject({ status: 404 });
    await expect(history.getCoverage('{ "a": ', 'all')).rejects.toThrow(/does not parse \(line 1/);
  });

  it('updates coverage after new appends (the per-session cache is keyed by the last offset)', async () => {
    const before = await history.getCoverage(ARTICLE_TEXT, 'all');
    expect(before.states.find((s) => s.state === 'langChoiceRust')!.passed).toBe(1);
    await log.append([
      { sid: 'session-c', payload: { kind: 'Response', message: RUST }, timestamp: '2024-05-06T09:00:00.000' },
      { sid: 'session-c', payload: { kind: 'Request', message: ARTICLE.states[8].state.sendRequest! }, timestamp: '2024-05-06T09:00:00.000' },
    ]);
    const after = await until(() => history.getCoverage(ARTICLE_TEXT, 'all'), (c) => c.states.find((s) => s.state === 'langChoiceRust')!.passed === 2);
    expect(after.states.find((s) => s.state === 'langChoices')!.droppedOff).toBe(0);
    expect(after.states.find((s) => s.state === 'anyOtherChoices')!.droppedOff).toBe(2);
  });

  it('flags sessions the draft routes differently: a choice that no longer exists, a renamed state', async () => {
    const noRust = ARTICLE_TEXT.replaceAll('"itemId": "rust"', '"itemId": "rs"');
    const withoutRust = await history.getCoverage(noRust, 'all');
    expect(withoutRust.differingCount).toBe(1);
    expect(withoutRust.differing[0]).toMatchObject({ sid: 'session-a', step: 1 });
    expect(withoutRust.differing[0].reason).toMatch(/No state has a matchResponse for groupId "lang", itemId "rust"/);
    expect(withoutRust.states.find((s) => s.state === 'done')!.passed).toBe(0);

    const renamed = ARTICLE_TEXT.replace('"next": "done"', '"next": "finished"').replace('"done": {', '"finished": {');
    const afterRename = await history.getCoverage(renamed, 'all');
    expect(afterRename.differing).toEqual([{ sid: 'session-a', step: 2, reason: 'The draft sends from finished, not from the states the recording names (renamed or rerouted).' }]);
    expect(afterRename.reachedEnd).toBe(1);
  });
});

describe('replaying one transcript through a draft', () => {
  it('gives each step its states, and marks only the step that changed', () => {
    const records = conversation(ARTICLE, 's', [OTHER, KOTLIN, NO], { at: day(1) });
    const entries = records.map((record, offset) => ({
      offset,
      timestamp: record.timestamp,
      kind: !record.payload ? ('start' as const) : record.payload.kind === 'Request' ? ('request' as const) : ('response' as const),
      message: record.payload?.message,
      state: record.state as string | undefined,
    }));
    const steps = transcriptSteps(entries);
    expect(steps.map((s) => [s.first, s.last])).toEqual([[0, 2], [3, 4], [5, 7], [8, 9]]);
    const same = replaySession(compileFlow(ARTICLE), steps);
    expect(same.steps.map((s) => s.visited.at(-1))).toEqual(['langChoices', 'startLangPrefSession', 'anyOtherChoices', 'done']);
    expect(same.steps.every((s) => s.difference === null)).toBe(true);
    expect(same.reachedEnd).toBe(true);

    const changed = checkFlowText(ARTICLE_TEXT.replace('"next": "startLangPrefSession"', '"next": "anyOtherChoices"')).flow!;
    const replay = replaySession(compileFlow(changed), steps);
    expect(replay.steps[1].difference).toBe('The draft sends from anyOtherChoices where the recording sent from startLangPrefSession.');
    expect(replay.stoppedAt).toBe(2);
    expect(replay.steps[2].difference).toMatch(/No chat with sessionId "langPreference" is open/);
  });
});
