import type { StreamRecord } from './messageStream.ts';

/** Throws a clear Error naming the field when `record` is not a storable stream record `{sid, payload?, timestamp}`. */
export function validateStreamRecord(record: StreamRecord): void {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new Error('the record must be an object {sid, payload?, timestamp}');
  if (typeof record.sid !== 'string' || record.sid.length === 0) throw new Error('"sid" must be a non-empty string');
  if (typeof record.timestamp !== 'string') throw new Error('"timestamp" must be a string');
}
