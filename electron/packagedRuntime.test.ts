import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateRuntime } from './packagedRuntime.ts';

const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { build: Record<string, any> };

describe('the runtime in a packaged app', () => {
  it('runs from the repository as it is', () => {
    expect(locateRuntime('/home/me/bot-studio', 'linux', 'x64')).toEqual({ root: '/home/me/bot-studio' });
  });

  it('runs from app.asar.unpacked, with esbuild\u2019s binary named for tsx', () => {
    expect(locateRuntime('/opt/Bot Assistant Studio/resources/app.asar', 'linux', 'x64')).toEqual({
      root: '/opt/Bot Assistant Studio/resources/app.asar.unpacked',
      esbuildBinary: '/opt/Bot Assistant Studio/resources/app.asar.unpacked/node_modules/@esbuild/linux-x64/bin/esbuild',
    });
    expect(locateRuntime('/Applications/Bot.app/Contents/Resources/app.asar', 'darwin', 'arm64').esbuildBinary)
      .toBe('/Applications/Bot.app/Contents/Resources/app.asar.unpacked/node_modules/@esbuild/darwin-arm64/bin/esbuild');
    // Where this machine's binary is, under the same rule.
    const here = locateRuntime(`${ROOT}/app.asar`, process.platform, process.arch).esbuildBinary!.replace(`${ROOT}/app.asar.unpacked`, ROOT);
    expect(existsSync(here)).toBe(true);
  });
});

describe('packaging (electron-builder config in package.json)', () => {
  it('packs the app into an asar archive and unpacks what the runtime runs from', () => {
    expect(pkg.build.asar).toBe(true);
    expect(pkg.build.asarUnpack).toEqual(['runtime/**', 'node_modules/**']);
  });

  it('sets the fuses: no RunAsNode, encrypted cookies, the app only from its asar (names checked against electron-builder\u2019s schema)', () => {
    const fuses = pkg.build.electronFuses as Record<string, boolean>;
    expect(fuses).toMatchObject({ runAsNode: false, enableCookieEncryption: true, onlyLoadAppFromAsar: true, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false });
    const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8'));
    const known = Object.keys(schema.definitions.FuseOptionsV1.properties);
    expect(Object.keys(fuses).filter((name) => !known.includes(name))).toEqual([]);
    expect(Object.values(fuses).every((value) => typeof value === 'boolean')).toBe(true);
  });
});
