/**
 * `serve --watch`: calls `onChange` after the flow file changes. It watches the file's folder, not
 * the file, because editors and atomic writers replace the file (a rename), which ends a watch on
 * the file itself; bursts of events (write, then rename) are folded into one call.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export function watchFlowFile(file: string, onChange: () => void, debounceMs = 100): () => void {
  const name = path.basename(file);
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(path.dirname(path.resolve(file)), (_event, changed) => {
    if (changed !== null && changed.toString() !== name) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  });
  watcher.on('error', () => {}); // the folder vanished: nothing more to watch
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
