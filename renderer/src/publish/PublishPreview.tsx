import { useEffect, useState } from 'react';
import type { PublishCheckResult, PublishResult, PublishTarget } from '../host/studioHost.ts';
import { describeRoutingCheck, describeRoutingGroups } from '../../../runtime/contract/describeRoutingCheck.ts';
import { useWorkspace } from '../files/workspaceContext.ts';
import type { DocumentStore } from '../store/createDocumentStore.ts';
import type { Diagnostic } from '../../../runtime/flow/types.ts';
import { ChangeList, DiagnosticList, plural } from './publishParts.tsx';

type Loaded = { check: PublishCheckResult; text: string };
type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; loaded: Loaded } | { kind: 'publishing'; loaded: Loaded } | { kind: 'published'; result: PublishResult };

/**
 * What publishing the draft will do, before it does it: the server's check (problems, changes in
 * the author's words, live sessions left on older versions) and how many of the server's own
 * recorded conversations the draft would route differently (the server replays its most recent
 * ones with history's routing-difference check). Publishing is refused while the draft has errors.
 */
export function PublishPreview({ target, document }: { target: PublishTarget; document: DocumentStore }) {
  const host = useWorkspace((w) => w.host);
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    const text = document.getState().text;
    host.checkPublish(target, text).then(
      (check) => live && setState({ kind: 'ready', loaded: { check, text } }),
      (error: unknown) => live && setState({ kind: 'error', message: messageOf(error) }),
    );
    return () => {
      live = false;
    };
  }, [host, target, document]);

  if (state.kind === 'loading') return <p role="status">Asking {target.serverUrl} what publishing would change…</p>;
  if (state.kind === 'error') return <p className="publish__error" role="alert">Could not check the draft with the server: {state.message}</p>;
  if (state.kind === 'published') {
    const { result } = state;
    return (
      <div role="status" className="publish__done" data-testid="publish-done">
        <p>
          {result.changed
            ? <>Published version <code>{result.hash}</code>. New conversations start on it; running ones finish on their own version.</>
            : <>Version <code>{result.hash}</code> is already the published one: nothing to do.</>}
        </p>
        {warningsOf(result.warnings).length > 0 && <DiagnosticList title="Warnings" diagnostics={warningsOf(result.warnings)} />}
      </div>
    );
  }

  const { check, text } = state.loaded;
  const routing = check.routing;
  const errors = check.diagnostics.filter((d) => d.severity === 'error');
  const publish = async () => {
    setState({ kind: 'publishing', loaded: state.loaded });
    try {
      const result = await host.publish(target, text);
      setState({ kind: 'published', result });
    } catch (error) {
      setState({ kind: 'error', message: messageOf(error) });
    }
  };

  if (!check.ok) {
    return (
      <div className="publish__refused" data-testid="publish-refused">
        <p role="alert"><b>This draft cannot be published:</b> it has {plural(errors.length, 'error')}. Fix {errors.length === 1 ? 'it' : 'them'} first; the server keeps its version.</p>
        <DiagnosticList title="Errors" diagnostics={errors} />
      </div>
    );
  }
  const sameAsServer = check.changes.length === 0;
  return (
    <div className="publish__preview" data-testid="publish-preview">
      <h3>Changes from the published version</h3>
      {sameAsServer ? <p>None: the server already runs this draft (or a version with the same steps).</p> : <ChangeList changes={check.changes} />}
      <h3>Conversations</h3>
      <ul className="publish__facts">
        <li data-testid="publish-live">
          {check.liveOnOlder === 0 ? 'No live conversations are on an older version.' : <><b>{plural(check.liveOnOlder, 'live conversation')}</b> will finish on the version {check.liveOnOlder === 1 ? 'it' : 'they'} started with; new ones start on this draft.</>}
        </li>
        <li data-testid="publish-routing">
          {routing === undefined
            ? 'The server did not say how its recorded conversations would go.'
            : 'error' in routing
              ? `The server's recorded conversations could not be replayed: ${routing.error}`
              : <>
                  Replayed on {target.serverUrl}: {routing.changed > 0 ? <b>{describeRoutingCheck(routing)}</b> : describeRoutingCheck(routing)}
                  {routing.groups.length > 0 && (
                    <ul className="publish__groups">
                      {describeRoutingGroups(routing).slice(0, 3).map((line) => <li key={line}>{line}</li>)}
                    </ul>
                  )}
                </>}
        </li>
      </ul>
      {warningsOf(check.diagnostics).length > 0 && <DiagnosticList title="Warnings" diagnostics={warningsOf(check.diagnostics)} />}
      <div className="publish__actions">
        <button type="button" className="tone-primary" disabled={state.kind === 'publishing'} onClick={() => void publish()}>
          {state.kind === 'publishing' ? 'Publishing…' : sameAsServer ? 'Publish anyway' : 'Publish'}
        </button>
        <small>Version <code>{check.hash}</code> to {target.serverUrl}</small>
      </div>
    </div>
  );
}

/** Warnings worth reading before publishing (info notes such as "the conversation ends here" are left out). */
const warningsOf = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === 'warning');

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
