/**
 * The `bot-assistant` command's bundle: runtime/cli.ts and everything it imports from this package,
 * compiled by esbuild into one JavaScript module (dist/runtime/cli.mjs). Running it costs a server
 * ~40 MiB less than compiling the TypeScript at start through tsx, whose loader keeps a second V8
 * isolate alive. Packages stay external (they load from node_modules as usual).
 *
 * The bundle is rebuilt whenever a file it was built from changed: dist/runtime/cli.json lists each
 * input with its size and mtime and the bundle's SHA-256, and a bundle that doesn't match is never run.
 * It has no source map: a stack trace names lines of the bundle, which is readable JavaScript with
 * each module under a `// runtime/…` comment.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..');
const ENTRY = path.join(PACKAGE_ROOT, 'runtime', 'cli.ts');
const OUT_DIR = path.join(PACKAGE_ROOT, 'dist', 'runtime');
const BUNDLE = path.join(OUT_DIR, 'cli.mjs');
const MANIFEST = path.join(OUT_DIR, 'cli.json');

/**
 * The bundle's file URL, built first if it is missing or older than its sources. Throws when it can't
 * be built (esbuild missing, dist/ not writable): the caller then runs the sources through tsx.
 */
export async function currentCliBundle() {
  if (!(await bundleIsCurrent())) await buildCliBundle();
  return pathToFileURL(BUNDLE).href;
}

async function bundleIsCurrent() {
  let manifest;
  try {
    manifest = JSON.parse(await readFile(MANIFEST, 'utf8'));
    const bundle = await readFile(BUNDLE);
    if (sha256(bundle) !== manifest.sha256) return false;
  } catch {
    return false; // no bundle yet, or a manifest from another version of this file
  }
  const stats = await Promise.all(manifest.inputs.map((input) => stat(path.join(PACKAGE_ROOT, input.file)).catch(() => null)));
  return stats.every((s, i) => s !== null && s.size === manifest.inputs[i].size && s.mtimeMs === manifest.inputs[i].mtimeMs);
}

async function buildCliBundle() {
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    outfile: BUNDLE,
    metafile: true,
    logLevel: 'silent',
    plugins: [keepSourceUrls],
  });
  const code = result.outputFiles[0].contents;
  const inputs = await Promise.all(
    Object.keys(result.metafile.inputs).map(async (file) => {
      const s = await stat(path.join(PACKAGE_ROOT, file));
      return { file, size: s.size, mtimeMs: s.mtimeMs };
    }),
  );
  await mkdir(OUT_DIR, { recursive: true });
  // Several processes may build at once (tests start many servers): each writes its own temporary
  // files and renames them into place, so a reader sees one whole bundle or another.
  const unique = `${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(`${BUNDLE}.${unique}`, code);
  await rename(`${BUNDLE}.${unique}`, BUNDLE);
  // A source saved while esbuild was reading it may be in the bundle in its older form: leave the
  // manifest out then, so the next start builds again.
  if (inputs.some((input) => input.mtimeMs >= startedAt)) return;
  await writeFile(`${MANIFEST}.${unique}`, JSON.stringify({ sha256: sha256(code), inputs }));
  await rename(`${MANIFEST}.${unique}`, MANIFEST);
}

/**
 * In the bundle every module's `import.meta.url` would be the bundle's. The runtime finds the files it
 * serves (the widget, the preview page, the operator console) next to its sources, so each module
 * keeps its own source URL.
 */
const keepSourceUrls = {
  name: 'keep-source-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async ({ path: file }) => {
      const source = await readFile(file, 'utf8');
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(file).href)), loader: 'ts' };
    });
  },
};

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}
