/**
 * Streaming scan of one segment file: reads it in big chunks and reports each frame's sid, timestamp
 * and position, without parsing the record JSON. Stops at the first bytes that are not a whole valid frame.
 */
import type { LogFile } from './logFileSystem.ts';
import { readFully } from './logFileSystem.ts';
import { FRAME_HEADER_BYTES, probeFrame } from './recordFrame.ts';

const CHUNK_BYTES = 8 * 1024 * 1024;

export interface ScanResult {
  /** end of the last whole valid frame */
  goodEnd: number;
  /** what stopped the scan before `fileSize`, if anything */
  problem?: { position: number; reason: string; incomplete: boolean };
}

/**
 * Scans `file` from `start` to `fileSize`, calling `onFrame` for each valid frame in order.
 * `scratch` is a reusable buffer (grown when a frame is larger).
 */
export async function scanSegment(
  file: LogFile,
  start: number,
  fileSize: number,
  onFrame: (sid: string, timestamp: string, position: number) => void,
  scratch: { buffer: Buffer } = { buffer: Buffer.allocUnsafe(Math.max(FRAME_HEADER_BYTES, Math.min(CHUNK_BYTES, fileSize - start))) },
): Promise<ScanResult> {
  let position = start;
  while (position < fileSize) {
    const wanted = Math.min(scratch.buffer.length, fileSize - position);
    const length = await readFully(file, scratch.buffer, wanted, position);
    // The file got shorter while we read (only a writer's repair does that): scan what is there.
    if (length < wanted) fileSize = position + length;
    const buffer = scratch.buffer;
    let at = 0;
    for (;;) {
      const probe = probeFrame(buffer, at, length);
      if (probe.kind === 'frame') {
        onFrame(buffer.toString('utf8', probe.sidStart, probe.sidEnd), buffer.toString('utf8', probe.sidEnd, probe.timestampEnd), position + at);
        at = probe.end;
        continue;
      }
      if (probe.kind === 'corrupt') return { goodEnd: position + at, problem: { position: position + at, reason: probe.reason, incomplete: false } };
      // Not enough bytes in the chunk: at the end of the file that is a torn frame; otherwise read on from here.
      if (position + at + probe.needed > fileSize) {
        if (position + at === fileSize) return { goodEnd: fileSize };
        return { goodEnd: position + at, problem: { position: position + at, reason: probe.reason, incomplete: true } };
      }
      if (at === 0) scratch.buffer = Buffer.allocUnsafe(Math.max(probe.needed, FRAME_HEADER_BYTES, scratch.buffer.length * 2));
      break;
    }
    position += at;
  }
  return { goodEnd: position };
}
