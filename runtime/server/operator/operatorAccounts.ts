/**
 * Operator accounts: a JSON file the server reads at start,
 * `{ "operators": [{ "id": "sam", "name": "Sam", "queues": ["billing"], "password": "scrypt$…" }] }`.
 * Passwords are stored as scrypt hashes (Node's built-in crypto), made by
 * `bot-assistant operator hash-password`. Errors name the file and the JSON path.
 */
import { describeFsError } from '../../stream/logFileSystem.ts';
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isPlainObject } from '../../flow/isPlainObject.ts';
import type { OperatorIdentity } from './conversations.ts';

export interface OperatorAccount extends OperatorIdentity {
  /** `scrypt$N$r$p$salt$hash` (salt and hash base64) */
  password: string;
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** A storable hash of `password` with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Does `password` match `stored` (a hashPassword result)? Compared in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (![N, r, p].every(Number.isSafeInteger) || N > 1 << 20 || expected.length < 16 || expected.length > 64) return false;
  const key = await scrypt(password, salt, expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  return timingSafeEqual(key, expected);
}

/** Read and check an accounts file; throws one clear error naming the file and the JSON path. */
export async function loadOperatorAccounts(path: string): Promise<OperatorAccount[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`operator accounts ${path}: cannot read it: ${describeFsError(error)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`operator accounts ${path}: not JSON (${(error as Error).message})`);
  }
  return parseOperatorAccounts(data, path);
}

/** Check accounts data (see loadOperatorAccounts). */
export function parseOperatorAccounts(data: unknown, path = 'accounts'): OperatorAccount[] {
  const fail = (where: string, what: string): never => {
    throw new Error(`operator accounts ${path}: ${where} ${what}`);
  };
  if (!isPlainObject(data) || !Array.isArray(data.operators)) fail('the top level', 'must be { "operators": [ … ] }');
  const operators = (data as { operators: unknown[] }).operators;
  const seen = new Set<string>();
  return operators.map((entry, i) => {
    const where = `operators[${i}]`;
    if (!isPlainObject(entry)) return fail(where, 'must be an object with id, name, queues and password');
    const { id, name, queues, password } = entry;
    if (typeof id !== 'string' || !ID.test(id)) fail(`${where}.id`, 'must be letters, digits, "_", "." or "-" (at most 64)');
    if (seen.has(id as string)) fail(`${where}.id`, `"${String(id)}" is given twice`);
    seen.add(id as string);
    if (typeof name !== 'string' || name.trim() === '' || name.length > 64) fail(`${where}.name`, 'must be the name visitors see (1 to 64 characters)');
    if (!Array.isArray(queues) || queues.length === 0 || !queues.every((q) => typeof q === 'string' && q !== '')) fail(`${where}.queues`, 'must list the queues this operator answers, e.g. ["billing"] ("*" for all)');
    if (typeof password !== 'string' || !password.startsWith('scrypt$')) fail(`${where}.password`, 'must be a hash made by `bot-assistant operator hash-password`');
    return { id: id as string, name: (name as string).trim(), queues: queues as string[], password: password as string };
  });
}
