/**
 * `bot-assistant serve` with durability taken out, for `npm run bench:runtime closed`: the same
 * start options as `serve` (runtime/cli/serveCommand.ts) over a stream that keeps nothing and
 * acknowledges at once (bench/volatileStream.ts). Between the frame floor and the real server, it
 * shows which part of the gap is the durable log and which is the rest of a turn.
 *
 * Run as a child process (`node --import tsx bench/volatileServer.ts <serve args>`); prints
 * `volatile server listening at http://…/` when ready, stops on SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import { parseServeArgs, serveStartOptions } from '../runtime/cli/serveCommand.ts';
import { checkFlowSource } from '../runtime/server/loadFlow.ts';
import { start } from '../runtime/server/start.ts';
import { VolatileStream } from './volatileStream.ts';

const options = parseServeArgs(process.argv.slice(2));
if (options === 'help') throw new Error('usage: volatileServer.ts <flow.json> [serve options]');
const flowText = await readFile(options.flowPath, 'utf8');
const { flow } = checkFlowSource(options.flowPath, flowText);
const server = await start({ ...serveStartOptions(options, flow, flowText, undefined), stream: new VolatileStream() });
console.log(`volatile server listening at ${server.url}`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
