/** "1 session", "2 sessions": a count with its noun (regular English plurals only). */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
