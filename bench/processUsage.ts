import { readFileSync } from 'node:fs';

/** RSS (bytes) and CPU time (s) of a process, from /proc. */
export function processUsage(pid: number): { rss: number; cpu: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in CLK_TCK (100/s)
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
  return { rss, cpu };
}
