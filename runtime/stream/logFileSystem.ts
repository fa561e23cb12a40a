/**
 * The file-system port of the embedded log: the few calls it makes, so tests can inject failures
 * (ENOSPC, EIO) exactly where a real disk would report them. `node:fs/promises` satisfies it.
 */
import { promises as nodeFs } from 'node:fs';
import { describeError } from '../describeError.ts';

/** An open file (a subset of `FileHandle`). */
export interface LogFile {
  /** the OS descriptor, when the file has one: the log reads records through it without the thread pool */
  readonly fd?: number;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  stat(): Promise<{ size: number; nlink: number }>;
  close(): Promise<void>;
}

export interface LogFileSystem {
  /** `flags`: a string as node:fs takes it, or `fs.constants` bits (the writer's, with O_DSYNC) */
  open(path: string, flags: string | number): Promise<LogFile>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<{ size: number; isDirectory(): boolean }>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  unlink(path: string): Promise<void>;
}

export const nodeLogFileSystem: LogFileSystem = nodeFs;

const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EBADF: 'bad file descriptor',
  EMFILE: 'too many open files',
  EEXIST: 'something of that name is already there',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is a file, not a directory',
};

/** "no space left on device (ENOSPC)" for a Node system error; the message otherwise. */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ERRNO_TEXT[code]) return `${ERRNO_TEXT[code]} (${code})`;
  return describeError(error);
}

/** Reads `length` bytes at `position` into the start of `buffer`; returns how many there were (less at end of file). */
export async function readFully(file: LogFile, buffer: Buffer, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}
