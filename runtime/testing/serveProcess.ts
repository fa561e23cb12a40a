/**
 * Runs the real CLI (`node runtime/bot-assistant.mjs serve ...`) as a child process, for the
 * tests that kill or signal it and for the benchmark, which measures the server's own RSS and CPU.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../bot-assistant.mjs', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

export function spawnServe(args: string[], nodeArgs: string[] = []): ServeProcess {
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const spawned: ServeProcess = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout!.on('data', (chunk) => (spawned.stdout += chunk));
  child.stderr!.on('data', (chunk) => (spawned.stderr += chunk));
  return spawned;
}

/** Wait for the ready line; returns the URL it names. */
export async function whenReady(spawned: ServeProcess, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /^bot-assistant: serving .* at (http:\/\/\S+) \(stream: .*\)$/m.exec(spawned.stdout);
    if (match) return match[1];
    if (spawned.child.exitCode !== null) throw new Error(`serve exited ${spawned.child.exitCode}: ${spawned.stderr}`);
    if (Date.now() > deadline) throw new Error(`serve not ready: ${spawned.stdout} ${spawned.stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
