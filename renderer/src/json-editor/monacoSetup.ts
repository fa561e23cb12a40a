/**
 * Monaco, bundled locally (no CDN): the lean editor API plus the few editor features the JSON
 * editor uses, the JSON language, its worker, and the flow file's JSON Schema.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/format/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
// Not covered by any features/*/register in 0.57 (editor.main imports them directly): without
// these, Ctrl+Space and completion-as-you-type show nothing.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/editor/contrib/gotoError/browser/markerSelectionStatus';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import flowSchema from '../../../runtime/flow/state-machine.schema.json';

/** Flow models get URIs ending in this, so the schema applies to them and to nothing else. */
const FLOW_MODEL_SUFFIX = '.studio-flow.json';
// The schema's own $id, so its internal references resolve against the URI it is registered under.
const FLOW_SCHEMA_URI = (flowSchema as { $id?: string }).$id ?? 'https://bot-assistant.local/state-machine.schema.json';

let configured = false;
let modelCounter = 0;

/** Configures Monaco once (workers, JSON language, schema) and returns it. */
export function setupMonaco(): typeof monaco {
  if (configured) return monaco;
  configured = true;
  self.MonacoEnvironment = {
    getWorker: (_workerId: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
  };
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    trailingCommas: 'error',
    comments: 'error',
    enableSchemaRequest: false,
    schemaValidation: 'warning',
    schemas: [{ uri: FLOW_SCHEMA_URI, fileMatch: [`*${FLOW_MODEL_SUFFIX}`], schema: flowSchema }],
  });
  return monaco;
}

/** A fresh URI for one editor's model; the flow schema is registered for it. */
export function newFlowModelUri(): monaco.Uri {
  modelCounter += 1;
  return monaco.Uri.parse(`inmemory://studio/flow-${modelCounter}${FLOW_MODEL_SUFFIX}`);
}

export type Monaco = typeof monaco;
