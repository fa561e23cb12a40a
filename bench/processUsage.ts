import { readFileSync } from 'node:fs';

/** utime + stime (s) from a /proc stat file (of a process or of one of its threads). */
function cpuOf(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // in CLK_TCK (100/s)
}

/**
 * RSS (bytes) and CPU time (s) of a process, from /proc, and the CPU time of its main thread (the
 * event loop; the rest is V8's GC and compiler helpers and libuv's file-system pool).
 */
export function processUsage(pid: number): { rss: number; cpu: number; mainCpu: number } {
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
  return { rss, cpu: cpuOf(`/proc/${pid}/stat`), mainCpu: cpuOf(`/proc/${pid}/task/${pid}/stat`) };
}
