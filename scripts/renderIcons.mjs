/**
 * Renders build/icon.svg to the PNGs electron-builder packages (build/icon.png at 512 px, and
 * build/icons/NxN.png for Linux), with Debian's Chromium through playwright-core (no ImageMagick here).
 * Run after changing the SVG: `node scripts/renderIcons.mjs`.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BUILD = path.resolve(import.meta.dirname, '..', 'build');
const svg = await readFile(path.join(BUILD, 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
});
try {
  await mkdir(path.join(BUILD, 'icons'), { recursive: true });
  const targets = [
    [512, path.join(BUILD, 'icon.png')],
    [512, path.join(BUILD, 'icons', '512x512.png')],
    [256, path.join(BUILD, 'icons', '256x256.png')],
  ];
  for (const [size, file] of targets) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const sized = svg.replace('width="1024" height="1024"', `width="${size}" height="${size}"`);
    await page.setContent(`<html><body style="margin:0;background:transparent">${sized}</body></html>`);
    await page.locator('svg').screenshot({ path: file, omitBackground: true });
    await page.close();
    console.log(`${file} (${size}x${size})`);
  }
} finally {
  await browser.close();
}
