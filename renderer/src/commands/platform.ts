/** The platform whose keys the studio shows and answers: `darwin` (⌘) or another (Ctrl), as Node names them. */
export function studioPlatform(): string {
  const nav = globalThis.navigator as (Navigator & { userAgentData?: { platform?: string } }) | undefined;
  const name = nav?.userAgentData?.platform ?? nav?.platform ?? '';
  if (/^mac/i.test(name)) return 'darwin';
  if (/^win/i.test(name)) return 'win32';
  return 'linux';
}
