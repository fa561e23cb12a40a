/**
 * Looking past damage in a segment file: finds the next whole valid frame after bytes that are not
 * one, and maps a whole segment into readable runs of frames and damaged byte ranges. Opening uses it
 * to tell a torn tail (nothing valid after it) from corruption (valid records after it); repair uses
 * it to keep every readable record.
 */
import { readFully, type LogFile } from './logFileSystem.ts';
import { FRAME_HEADER_BYTES, MAX_BODY_BYTES, probeFrame } from './recordFrame.ts';
import { scanSegment } from './scanSegment.ts';

const WINDOW_BYTES = 1024 * 1024;
/** the frame header plus the body's sid and timestamp lengths */
const PREFIX_BYTES = FRAME_HEADER_BYTES + 3;
const OPEN_BRACE = 0x7b;

export interface SegmentSurvey {
  fileSize: number;
  /** byte ranges of consecutive whole valid frames, in file order */
  runs: { start: number; end: number; records: number }[];
  /** byte ranges that are not valid frames, in file order */
  damage: DamagedRange[];
}

export interface DamagedRange {
  start: number;
  end: number;
  /** what the first bad frame looked like (e.g. "CRC mismatch") */
  reason: string;
  /** 1 when the range is exactly one frame by its own length field (so one record is lost); undefined when the count can't be known */
  records?: number;
}

/**
 * The position of the first whole valid frame that starts at or after `from`, or undefined. Probes
 * every byte position: the damage may have hit a length field, so frame boundaries can't be trusted.
 * (A frame's length field holds zero bytes and a record's JSON text holds none, and the CRC must
 * match too, so a frame is practically never "found" inside another frame's text.)
 */
export async function findNextFrame(file: LogFile, from: number, fileSize: number): Promise<number | undefined> {
  let buffer = Buffer.allocUnsafe(Math.min(WINDOW_BYTES, Math.max(FRAME_HEADER_BYTES, fileSize - from)));
  let windowStart = from;
  let windowLength = 0;
  const load = async (start: number, needed: number) => {
    if (buffer.length < needed) buffer = Buffer.allocUnsafe(needed);
    windowStart = start;
    windowLength = await readFully(file, buffer, Math.min(buffer.length, fileSize - start), start);
  };
  await load(from, 0);
  for (let position = from; position + PREFIX_BYTES <= fileSize; position++) {
    if (position + PREFIX_BYTES > windowStart + windowLength) await load(position, 0);
    if (!looksLikeFrame(buffer, position - windowStart, windowLength)) continue;
    let probe = probeFrame(buffer, position - windowStart, windowLength);
    if (probe.kind === 'incomplete' && position + probe.needed <= fileSize && position + probe.needed > windowStart + windowLength) {
      // The frame would fit in the file but runs past the window: look at all of it.
      await load(position, probe.needed);
      probe = probeFrame(buffer, 0, windowLength);
    }
    if (probe.kind === 'frame') return position;
  }
  return undefined;
}

/**
 * A cheap test before the CRC: a plausible length, sid and timestamp that fit in it, and a record that
 * starts with "{". Random bytes pass it about once in 65,536 positions, so garbage is skipped without
 * checksumming megabytes at every position.
 */
function looksLikeFrame(buffer: Buffer, at: number, limit: number): boolean {
  const bodyBytes = buffer.readUInt32LE(at);
  if (bodyBytes < 3 || bodyBytes > MAX_BODY_BYTES) return false;
  const jsonStart = PREFIX_BYTES + buffer.readUInt16LE(at + FRAME_HEADER_BYTES) + buffer.readUInt8(at + FRAME_HEADER_BYTES + 2);
  if (jsonStart >= FRAME_HEADER_BYTES + bodyBytes) return false;
  return at + jsonStart >= limit || buffer[at + jsonStart] === OPEN_BRACE;
}

/** Maps the whole segment: every run of valid frames and every damaged range between or after them. */
export async function surveySegment(file: LogFile, fileSize: number, from = 0): Promise<SegmentSurvey> {
  const survey: SegmentSurvey = { fileSize, runs: [], damage: [] };
  const header = Buffer.allocUnsafe(4);
  let position: number | undefined = from;
  while (position !== undefined && position < fileSize) {
    let records = 0;
    const scan = await scanSegment(file, position, fileSize, () => records++);
    if (records > 0) survey.runs.push({ start: position, end: scan.goodEnd, records });
    if (!scan.problem) break;
    const next = await findNextFrame(file, scan.problem.position + 1, fileSize);
    const damage: DamagedRange = { start: scan.problem.position, end: next ?? fileSize, reason: scan.problem.reason };
    if (next !== undefined && (await readFully(file, header, 4, damage.start)) === 4 && damage.start + FRAME_HEADER_BYTES + header.readUInt32LE(0) === next) damage.records = 1;
    survey.damage.push(damage);
    position = next;
  }
  return survey;
}

/** How many records and bytes of the survey are readable. */
export function readableIn(survey: SegmentSurvey): { records: number; bytes: number } {
  return survey.runs.reduce((sum, run) => ({ records: sum.records + run.records, bytes: sum.bytes + run.end - run.start }), { records: 0, bytes: 0 });
}
