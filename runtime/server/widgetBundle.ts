/**
 * The widget is written as small classic scripts and stylesheets under `runtime/widget/src/`, one
 * job each, while a site embeds it with one script tag. This joins them, in the order below, into
 * the `assistant.js` and `assistant.css` the server serves: the scripts inside one function (they
 * share its scope and leave the page's globals alone), the stylesheets one after another.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The scripts, in the order they run: types and constants first, `main.js` (which starts the widget) last. */
export const WIDGET_SCRIPTS = [
  'types.js', 'constants.js', 'sanitize.js', 'config.js', 'dom.js', 'view.js', 'transcript.js',
  'controls.js', 'replay.js', 'protocol.js', 'connection.js', 'widget.js', 'main.js',
] as const;

/** The stylesheets, in cascade order (later rules win ties). */
export const WIDGET_STYLES = [
  'theme.css', 'launcher.css', 'dialog.css', 'transcript.css', 'choices.css', 'footer.css', 'smallScreens.css',
] as const;

/** One served file, built in memory. */
export interface WidgetFile {
  body: Buffer;
  /** strong ETag of the body */
  etag: string;
}

/** The two files a page loads, by their name under `/widget/`. */
export type WidgetBundle = ReadonlyMap<'assistant.js' | 'assistant.css', WidgetFile>;

const SCRIPT_HEADER = `/*
 * Bot Assistant chat widget: one classic script, no dependencies. Built by the runtime from
 * runtime/widget/src/ (edit there). Embed with <script src="https://host/widget/assistant.js" defer>;
 * see runtime/widget/README.md for the options.
 */
`;

/** Reads `srcDir` (runtime/widget/src) and joins its files into the served script and stylesheet. */
export async function buildWidgetBundle(srcDir: string): Promise<WidgetBundle> {
  // One at a time, in order: a missing file is reported as the first one missing, every time.
  const readAll = async (names: readonly string[]) => {
    const texts: string[] = [];
    for (const name of names) texts.push(await readFile(join(srcDir, name), 'utf8'));
    return texts;
  };
  const scripts = (await readAll(WIDGET_SCRIPTS)).map((text, i) => `// ---- ${WIDGET_SCRIPTS[i]}\n${text.replace(/^\/\/ @ts-check\n/, '')}`);
  const styles = await readAll(WIDGET_STYLES);
  const script = `${SCRIPT_HEADER}(function () {\n'use strict';\n\n${scripts.join('\n')}\n})();\n`;
  return new Map([
    ['assistant.js', served(script)],
    ['assistant.css', served(styles.join('\n'))],
  ]);
}

function served(text: string): WidgetFile {
  const body = Buffer.from(text, 'utf8');
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}
