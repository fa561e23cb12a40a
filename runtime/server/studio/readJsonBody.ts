import type { IncomingMessage } from 'node:http';
import { HostApiError } from './HostApiError.ts';

/** Reads a JSON request body of at most `limit` bytes; 413 beyond that, 400 when it is not JSON. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const text = await readBodyText(req, limit);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HostApiError(400, `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads a request body of at most `limit` bytes as UTF-8 text; 413 beyond that. */
export async function readBodyText(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () =>
    new HostApiError(413, `Request body too large: the limit is ${limit} bytes (${(limit / 1024 / 1024).toFixed(1)} MiB).`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
