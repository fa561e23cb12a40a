/** `flowHash` of a compiled flow, computed once per flow (start markers carry it). */
import type { CompiledFlow } from '../flow/compileFlow.ts';
import { flowHash } from '../flow/flowHash.ts';

const hashes = new WeakMap<CompiledFlow, string>();

export function compiledFlowHash(compiled: CompiledFlow): string {
  let hash = hashes.get(compiled);
  if (hash === undefined) hashes.set(compiled, (hash = flowHash(compiled.flow)));
  return hash;
}
