import { readFile } from 'node:fs/promises';
import { describeFsError } from '../../stream/logFileSystem.ts';

/** The publish token kept in `file` (surrounding whitespace ignored); a clear error when unreadable or too short to be secret. */
export async function readTokenFile(file: string): Promise<string> {
  let token: string;
  try {
    token = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    throw new Error(`cannot read the publish token file ${file}: ${describeFsError(error)}`);
  }
  if (token.length < 16) throw new Error(`the publish token in ${file} is shorter than 16 characters: use a long random one (e.g. openssl rand -hex 32)`);
  return token;
}
