import { describe, expect, it } from 'vitest';
import type { StreamRecord } from './messageStream.ts';
import { decodeRecord, probeFrame, writeRecordFrame } from './recordFrame.ts';
import { rememberJson, requestPayloadOf, writeRecordJson } from './recordJson.ts';

const question = { kind: 'ChoiceRequest', groupId: 'lang', question: 'Which one? — «ünïcode» "quoted"', choices: [{ itemId: 'rust', content: 'Rust' }] };
rememberJson(question, JSON.stringify(question));
const sharedPayload = requestPayloadOf(question);

/** The JSON writeRecordJson writes for `record`, given a buffer of `size` bytes (undefined when it reports no room). */
function written(record: StreamRecord, size = 4096): string | undefined {
  const buffer = Buffer.alloc(size + 8, 0xee);
  const end = writeRecordJson(buffer.subarray(0, size), 3, record);
  // Nothing is ever written past the end it was given.
  expect(buffer.subarray(size).every((byte) => byte === 0xee)).toBe(true);
  return end < 0 ? undefined : buffer.toString('utf8', 3, end);
}

describe('writeRecordJson', () => {
  const records: StreamRecord[] = [
    { sid: 's1', payload: sharedPayload, timestamp: '2021-01-05T17:58:46.511' },
    { sid: 's1', payload: sharedPayload, timestamp: 't', state: 'langChoices' },
    // the same message in a payload of its own is stringified
    { sid: 's1', payload: { kind: 'Request', message: question as never }, timestamp: 't', state: 'langChoices' },
    // key order, members without JSON and extra payload members are kept as JSON.stringify has them
    { timestamp: 't', payload: { message: question as never, kind: 'Request', note: undefined, extra: [1, 'x'] } as never, sid: 'é"\n', skipped: undefined, fn: () => 1 },
    { sid: 's1', payload: { kind: 'Response', message: { kind: 'UserText', sessionId: 1, content: 'hi "there"\\ \u0001 \ud800 😀' } }, timestamp: 't' },
    { sid: 's1', timestamp: 't', flowHash: 'abc', preview: true, flow: 'coffee.json', count: 3, nothing: null, 'odd "key"': 'x' },
    { sid: 's1', payload: {} as never, timestamp: '' },
    { sid: 'é"\u0007', payload: sharedPayload, timestamp: 't\\', state: 'naïve "x"' },
    { sid: 's1', payload: { kind: 'Request', message: question as never, extra: 1 } as never, timestamp: 't', resumedAt: 'q' },
    { sid: 's1', payload: { message: question as never, kind: 'Request' }, timestamp: 't', state: 3 as never },
    { sid: 's1', payload: { kind: 'Response', message: { kind: 'ChoiceResponse', groupId: 7, itemId: 'x' } }, timestamp: 't', when: new Date(0) as never, nothing: { toJSON: () => undefined } as never },
  ];

  it('writes the text JSON.stringify gives, with a remembered message spliced in', () => {
    for (const record of records) expect(written(record)).toBe(JSON.stringify(record));
  });

  it('reports a buffer too small instead of writing past it, at every size', () => {
    for (const record of records) {
      const whole = JSON.stringify(record);
      for (let size = 3; size < Buffer.byteLength(whole) + 3; size++) expect(written(record, size)).toBeUndefined();
      expect(written(record, 3 * whole.length + 3)).toBe(whole);
    }
  });

  it('uses the remembered text, not the object, for a remembered message', () => {
    const message = { kind: 'BotText', content: 'as remembered' };
    rememberJson(message, '{"kind":"BotText","content":"as remembered"}');
    const payload = requestPayloadOf(message);
    expect(requestPayloadOf(message)).toBe(payload);
    expect(Object.isFrozen(payload)).toBe(true);
    const record: StreamRecord = { sid: 's', payload, timestamp: 't' };
    expect(JSON.parse(written(record)!)).toEqual(record);
    // A message nobody remembered gets a payload of its own.
    const other = { kind: 'BotText', content: 'not remembered' };
    expect(requestPayloadOf(other)).not.toBe(requestPayloadOf(other));
    expect(requestPayloadOf(other)).toEqual({ kind: 'Request', message: other });
  });
});

describe('frames written in place', () => {
  it('writes frames back to back in one buffer that read back as the records', () => {
    const records: StreamRecord[] = [
      { sid: 'séance', payload: { kind: 'Request', message: question as never }, timestamp: '2021-01-05T17:58:46.511', state: 'q' },
      { sid: 's2', timestamp: 't' },
    ];
    const buffer = Buffer.alloc(4096);
    let end = writeRecordFrame(buffer, 0, records[0]);
    end = writeRecordFrame(buffer, end, records[1]);
    let at = 0;
    for (const record of records) {
      const probe = probeFrame(buffer, at, end);
      if (probe.kind !== 'frame') throw new Error(`no frame at ${at}: ${probe.reason}`);
      expect(buffer.toString('utf8', probe.sidStart, probe.sidEnd)).toBe(record.sid);
      expect(decodeRecord(buffer, probe)).toEqual(JSON.parse(JSON.stringify(record)));
      at = probe.end;
    }
    expect(at).toBe(end);
  });

  it('says when the buffer is too small, and writes nothing past its end', () => {
    const record: StreamRecord = { sid: 'séance', payload: { kind: 'Request', message: question as never }, timestamp: 't' };
    const whole = Buffer.alloc(4096);
    const size = writeRecordFrame(whole, 0, record);
    for (let length = 0; length < size; length++) {
      const buffer = Buffer.alloc(length + 16, 0xee);
      expect(writeRecordFrame(buffer.subarray(0, length), 0, record)).toBe(-1);
      expect(buffer.subarray(length).every((byte) => byte === 0xee)).toBe(true);
    }
  });

  it('refuses a record with a clear reason', () => {
    expect(() => writeRecordFrame(Buffer.alloc(64), 0, { sid: '', timestamp: 't' })).toThrow('"sid" must be a non-empty string');
    const cyclic: Record<string, unknown> = { kind: 'BotText' };
    cyclic.self = cyclic;
    expect(() => writeRecordFrame(Buffer.alloc(64), 0, { sid: 's', payload: { kind: 'Response', message: cyclic as never }, timestamp: 't' })).toThrow(/not serialisable as JSON/);
  });
});
