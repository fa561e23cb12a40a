/**
 * The layering rules of the design note, checked on source text:
 * - `runtime/flow` is pure (no Node, no `ws`/`express`, no DOM globals, no code from the rest of `runtime/`);
 * - `runtime/contract` (the studio↔host contract) is pure the same way and builds only on
 *   `runtime/flow` and the history's shapes (`runtime/history/historyTypes.ts`);
 * - `renderer` reaches neither Electron (the package or `electron/`), Node, `runtime/server` nor `runtime/stream`;
 * - nothing in `runtime/` or `electron/` imports `renderer/`: the studio sits on top of them.
 * Test files are exempt: they run in Node under vitest, not in the layer they test.
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import ts from 'typescript';

export interface LayeringViolation {
  /** repository-relative path, with forward slashes */
  file: string;
  /** 1-based */
  line: number;
  message: string;
}

const NODE_BUILTINS = new Set(builtinModules);
const FLOW_FORBIDDEN_PACKAGES = new Set(['ws', 'express']);
const DOM_GLOBALS = new Set(['document', 'window', 'navigator', 'localStorage', 'sessionStorage']);

/** Does the layering apply to this file (repository-relative path)? */
export function isLayeredFile(file: string): boolean {
  if (!/\.tsx?$/.test(file) || /\.test\.tsx?$/.test(file) || /\.config\.ts$/.test(file)) return false;
  return file.startsWith('runtime/') || file.startsWith('electron/') || file.startsWith('renderer/');
}

/** The pure layers: no Node, no DOM, no server packages. */
function isPureFile(file: string): boolean {
  return file.startsWith('runtime/flow/') || file.startsWith('runtime/contract/');
}

/** Every layering violation in one file's text. */
export function checkLayering(file: string, text: string): LayeringViolation[] {
  if (!isLayeredFile(file)) return [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const violations: LayeringViolation[] = [];
  const pure = isPureFile(file);
  const layer = layerName(file);
  for (const { fileName: specifier, pos } of ts.preProcessFile(text, true, true).importedFiles) {
    const problem = importProblem(file, specifier);
    if (problem) violations.push({ file, line: lineOf(pos), message: problem });
  }
  if (pure) {
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && DOM_GLOBALS.has(node.text) && isReference(node)) {
        violations.push({ file, line: lineOf(node.getStart(source)), message: `${layer} is pure: it may not use the DOM global "${node.text}"` });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return violations.sort((a, b) => a.line - b.line);
}

/** "runtime/flow", "runtime/contract", "renderer", "electron" or "runtime": which rules apply. */
function layerName(file: string): string {
  if (file.startsWith('runtime/flow/')) return 'runtime/flow';
  if (file.startsWith('runtime/contract/')) return 'runtime/contract';
  return file.split('/', 1)[0];
}

function importProblem(file: string, specifier: string): string | undefined {
  const layer = layerName(file);
  const target = resolveRelative(file, specifier);
  if (layer === 'renderer') return rendererImportProblem(specifier, target);
  if (target !== undefined && /^renderer(\/|$)/.test(target)) {
    return `${layer} may not import the studio's code "${specifier}" (${target}): the renderer sits on top; shared shapes belong in runtime/contract`;
  }
  if (layer === 'runtime/flow' || layer === 'runtime/contract') return pureImportProblem(layer, specifier, target);
  return undefined;
}

/** What a pure layer may import from the runtime besides itself. */
const PURE_MAY_IMPORT: Record<string, (target: string) => boolean> = {
  'runtime/flow': (target) => target.startsWith('runtime/flow/'),
  'runtime/contract': (target) => /^runtime\/(flow|contract)\//.test(target) || target === 'runtime/history/historyTypes.ts',
};

function pureImportProblem(layer: string, specifier: string, target: string | undefined): string | undefined {
  if (isNodeBuiltin(specifier)) return `${layer} is pure: it may not import the Node module "${specifier}"`;
  if (FLOW_FORBIDDEN_PACKAGES.has(packageName(specifier))) return `${layer} is pure: it may not import "${specifier}"`;
  if (target !== undefined && target.startsWith('runtime/') && !PURE_MAY_IMPORT[layer](target)) return `${layer} may not import the rest of the runtime: "${specifier}" (${target})`;
  return undefined;
}

function rendererImportProblem(specifier: string, target: string | undefined): string | undefined {
  if (packageName(specifier) === 'electron') return `renderer may not import "${specifier}": reach the host through StudioHost`;
  if (isNodeBuiltin(specifier)) return `renderer may not import the Node module "${specifier}"`;
  if (target !== undefined && /^electron(\/|$)/.test(target)) return `renderer may not import the desktop shell "${specifier}" (${target}): reach the host through StudioHost`;
  if (target !== undefined && /^runtime\/(server|stream)(\/|$)/.test(target)) return `renderer may not import "${specifier}" (${target}): it is server-side code`;
  return undefined;
}

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(packageName(specifier));
}

/** "a/b" -> "a", "@scope/a/b" -> "@scope/a" */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The repository-relative path a relative specifier points to; undefined for a package. */
function resolveRelative(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return posix.normalize(posix.join(posix.dirname(file), specifier));
}

/** Is this identifier a use of a global, rather than a property name or a member access? */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isQualifiedName(parent) && parent.right === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent)) && parent.name === node) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) return false;
  return true;
}
