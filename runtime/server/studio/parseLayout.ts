import type { FlowLayout } from '../../contract/studioHost.ts';
import { HostApiError } from './HostApiError.ts';

/**
 * Checks that a value is a FlowLayout (`positions` of finite x/y, optional viewport) and
 * returns it, or throws a HostApiError naming the bad field. `where` says where it came from.
 */
export function parseLayout(value: unknown, where: string): FlowLayout {
  const fail = (field: string, expected: string) =>
    new HostApiError(422, `${where}: "${field}" must be ${expected}.`);
  if (!isRecord(value)) throw fail('', 'an object with "positions"');
  if (!isRecord(value.positions)) throw fail('positions', 'an object of {x, y} by state name');
  for (const [name, position] of Object.entries(value.positions)) {
    if (!isRecord(position) || !isFiniteNumber(position.x) || !isFiniteNumber(position.y)) {
      throw fail(`positions.${name}`, 'an object with finite numbers x and y');
    }
  }
  if (value.viewport !== undefined) {
    const viewport = value.viewport;
    if (!isRecord(viewport) || !isFiniteNumber(viewport.x) || !isFiniteNumber(viewport.y) || !isFiniteNumber(viewport.zoom)) {
      throw fail('viewport', 'an object with finite numbers x, y and zoom');
    }
  }
  return value as unknown as FlowLayout;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
