/**
 * `npm run studio [-- --port 9999 --workspace DIR --data-dir DIR --operator-name NAME]`: the studio in a browser.
 * Builds the renderer if needed, starts the runtime with the studio host on 127.0.0.1 and
 * prints the address to open.
 */
import { parseArgs } from 'node:util';
import { consoleLogger } from '../runtime/server/logger.ts';
import { startStudio } from './studioServer.ts';

function parseOptions() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9999' },
      workspace: { type: 'string', default: 'state-machines' },
      'data-dir': { type: 'string' },
      'operator-name': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log('Usage: npm run studio [-- --port 9999 --workspace state-machines --data-dir DIR --operator-name NAME]');
    process.exit(0);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (0-65535), got "${values.port}"`);
  const operatorName = values['operator-name'];
  if (operatorName !== undefined && (operatorName.trim() === '' || operatorName.length > 64)) throw new Error('--operator-name must be the name visitors see (1 to 64 characters)');
  return { port, workspace: values.workspace, dataDir: values['data-dir'], operatorName };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const studio = await startStudio({ ...options, logger: consoleLogger });
  console.log(`Studio: ${studio.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the studio…`);
    studio.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Error while stopping: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`studio: ${(error as Error).message}`);
  process.exit(1);
});
