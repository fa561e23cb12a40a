/**
 * The on-disk frame of one stream record in the embedded log:
 *
 *   u32 LE  body length
 *   u32 LE  CRC32 of the body
 *   body:   u16 LE sid byte length, u8 timestamp byte length, sid (UTF-8), timestamp (UTF-8), record JSON (UTF-8)
 *
 * The sid and timestamp sit in the body header so the index can be rebuilt without parsing JSON.
 */
import { crc32 } from 'node:zlib';
import type { StreamRecord } from './messageStream.ts';
import { validateStreamRecord } from './validateStreamRecord.ts';
import { writeRecordJson } from './recordJson.ts';
import { describeError } from '../describeError.ts';

export const FRAME_HEADER_BYTES = 8;
const BODY_PREFIX_BYTES = 3;
const MAX_SID_BYTES = 0xffff;
const MAX_TIMESTAMP_BYTES = 0xff;
/** A body larger than this is treated as corruption, not as a record. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Checks `record` and writes its frame into `buffer` at `at`. Returns where the frame ends, or -1
 * when `buffer` is too small for it (grow it and write again). Throws a clear Error naming the
 * field when the record can't be stored; what was written after `at` is then meaningless.
 */
export function writeRecordFrame(buffer: Buffer, at: number, record: StreamRecord): number {
  validateStreamRecord(record);
  const bodyStart = at + FRAME_HEADER_BYTES;
  const sidStart = bodyStart + BODY_PREFIX_BYTES;
  const sidEnd = writeUtf8(buffer, sidStart, record.sid);
  const jsonStart = sidEnd < 0 ? -1 : writeUtf8(buffer, sidEnd, record.timestamp);
  if (jsonStart < 0) return -1;
  const sidBytes = sidEnd - sidStart;
  const timestampBytes = jsonStart - sidEnd;
  if (sidBytes > MAX_SID_BYTES) throw new Error(`"sid" is ${sidBytes} bytes; the limit is ${MAX_SID_BYTES}`);
  if (timestampBytes > MAX_TIMESTAMP_BYTES) throw new Error(`"timestamp" is ${timestampBytes} bytes; the limit is ${MAX_TIMESTAMP_BYTES}`);
  let end: number;
  try {
    end = writeRecordJson(buffer, jsonStart, record);
  } catch (error) {
    throw new Error(`the record is not serialisable as JSON: ${describeError(error)}`);
  }
  if (end < 0) {
    // The caller grows the buffer until the frame fits, but not for a record over the limit.
    if (buffer.length - at > 4 * MAX_BODY_BYTES) throw new Error(`the record is over ${MAX_BODY_BYTES} bytes, the limit`);
    return -1;
  }
  const bodyBytes = end - bodyStart;
  if (bodyBytes > MAX_BODY_BYTES) throw new Error(`the record is ${bodyBytes} bytes; the limit is ${MAX_BODY_BYTES}`);
  buffer.writeUInt32LE(bodyBytes, at);
  buffer.writeUInt16LE(sidBytes, bodyStart);
  buffer.writeUInt8(timestampBytes, bodyStart + 2);
  buffer.writeUInt32LE(crc32(buffer.subarray(bodyStart, end)), at + 4);
  return end;
}

/** Writes `text` as UTF-8 at `at`; returns where it ends, or -1 when it may not fit. */
function writeUtf8(buffer: Buffer, at: number, text: string): number {
  // ASCII, the usual case, is copied byte by byte; anything else goes through the encoder.
  const end = copyAscii(buffer, at, text);
  if (end !== NOT_ASCII) return end;
  if (at + 3 * text.length > buffer.length) return -1;
  return at + buffer.write(text, at, 'utf8');
}

const NOT_ASCII = -2;

/** Copies an ASCII string as it is (no quotes). Returns the end, -1 when it does not fit, NOT_ASCII when it is not ASCII. */
function copyAscii(buffer: Buffer, pos: number, text: string): number {
  const end = pos + text.length;
  if (end > buffer.length) return -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return NOT_ASCII;
    buffer[pos + i] = code;
  }
  return end;
}

/** The size of the frame that starts at `at` (written by writeRecordFrame). */
export function frameBytesAt(buffer: Buffer, at: number): number {
  return FRAME_HEADER_BYTES + buffer.readUInt32LE(at);
}

/** What lies at a position of a buffer: a whole valid frame, not enough bytes yet, or bytes that are not a frame. */
export type FrameProbe =
  | { kind: 'frame'; end: number; sidStart: number; sidEnd: number; timestampEnd: number }
  | { kind: 'incomplete'; needed: number; reason: string }
  | { kind: 'corrupt'; reason: string };

/** Checks the frame starting at `position` of `buffer` (which holds the bytes up to `limit`). Does not parse the JSON. */
export function probeFrame(buffer: Buffer, position: number, limit: number): FrameProbe {
  const available = limit - position;
  if (available < FRAME_HEADER_BYTES) return { kind: 'incomplete', needed: FRAME_HEADER_BYTES, reason: 'short frame header' };
  const bodyBytes = buffer.readUInt32LE(position);
  if (bodyBytes < BODY_PREFIX_BYTES || bodyBytes > MAX_BODY_BYTES) return { kind: 'corrupt', reason: `impossible record length ${bodyBytes}` };
  const end = position + FRAME_HEADER_BYTES + bodyBytes;
  if (end > limit) return { kind: 'incomplete', needed: FRAME_HEADER_BYTES + bodyBytes, reason: 'short record' };
  const bodyStart = position + FRAME_HEADER_BYTES;
  if (crc32(buffer.subarray(bodyStart, end)) !== buffer.readUInt32LE(position + 4)) return { kind: 'corrupt', reason: 'CRC mismatch' };
  const sidStart = bodyStart + BODY_PREFIX_BYTES;
  const sidEnd = sidStart + buffer.readUInt16LE(bodyStart);
  const timestampEnd = sidEnd + buffer.readUInt8(bodyStart + 2);
  if (timestampEnd > end) return { kind: 'corrupt', reason: 'sid and timestamp overrun the record' };
  return { kind: 'frame', end, sidStart, sidEnd, timestampEnd };
}

/** Parses the record of a frame that `probeFrame` accepted. */
export function decodeRecord(buffer: Buffer, probe: { end: number; timestampEnd: number }): StreamRecord {
  return JSON.parse(buffer.toString('utf8', probe.timestampEnd, probe.end)) as StreamRecord;
}
