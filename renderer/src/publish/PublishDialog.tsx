import { useEffect, useRef, useState } from 'react';
import type { PublishTarget } from '../host/studioHost.ts';
import { useWorkspace } from '../files/workspaceContext.ts';
import type { DocumentStore } from '../store/createDocumentStore.ts';
import { PublishPreview } from './PublishPreview.tsx';
import { PublishedVersions } from './PublishedVersions.tsx';
import { usePublishDialog } from './usePublishDialog.ts';
import { useModal } from '../workbench/useModal.ts';
import './publish.css';

type Tab = 'publish' | 'versions';

/** Mounts the Publish dialog while File › Publish… has it open (the one hook in the studio shell). */
export function PublishDialogHost() {
  const document = usePublishDialog((s) => s.document);
  return document ? <PublishDialog document={document} /> : null;
}

/**
 * File › Publish…: the server (URL and token file, remembered by the host), then what publishing
 * this draft would do before it does it, and the server's published versions with a diff against
 * the draft and rollback. The token file is read by the host; the page never sees the token.
 */
function PublishDialog({ document }: { document: DocumentStore }) {
  const host = useWorkspace((w) => w.host);
  const close = usePublishDialog((s) => s.close);
  const [serverUrl, setServerUrl] = useState('');
  const [tokenFile, setTokenFile] = useState('');
  const [recent, setRecent] = useState<PublishTarget[]>([]);
  /** the target the author connected to (the form may have changed since) */
  const [target, setTarget] = useState<PublishTarget | null>(null);
  const [tab, setTab] = useState<Tab>('publish');
  /** bumped by each Connect / Check again, so the views ask the server afresh */
  const [revision, setRevision] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  useModal(box, close);

  useEffect(() => {
    let live = true;
    host.publishTargets().then(
      (targets) => {
        if (!live || targets.length === 0) return;
        setRecent(targets);
        setServerUrl((url) => url || targets[0].serverUrl);
        setTokenFile((file) => file || targets[0].tokenFile);
      },
      () => undefined, // nothing remembered: the author types the server
    );
    box.current?.querySelector<HTMLInputElement>('input')?.focus();
    return () => {
      live = false;
    };
  }, [host]);

  const connect = () => {
    if (!serverUrl.trim() || !tokenFile.trim()) return;
    setTarget({ serverUrl: serverUrl.trim(), tokenFile: tokenFile.trim() });
    setRevision((r) => r + 1);
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        ref={box}
        className="dialog publish nokey"
        role="dialog"
        aria-modal="true"
        aria-labelledby="publish-title"
      >
        <h2 id="publish-title">Publish “{document.getState().displayName}”</h2>
        <form
          className="publish__target"
          onSubmit={(e) => {
            e.preventDefault();
            connect();
          }}
        >
          <label>
            <span>Server URL</span>
            <input value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} placeholder="https://bots.example.com/" list="publish-recent-servers" spellCheck={false} />
          </label>
          <label>
            <span>Token file</span>
            <input value={tokenFile} onChange={(e) => setTokenFile(e.target.value)} placeholder="/path/to/publish-token" spellCheck={false} aria-describedby="publish-token-hint" />
          </label>
          <datalist id="publish-recent-servers">
            {recent.map((t) => <option key={`${t.serverUrl} ${t.tokenFile}`} value={t.serverUrl} />)}
          </datalist>
          <button type="submit" className="tone-primary" disabled={!serverUrl.trim() || !tokenFile.trim()}>
            {target ? 'Check again' : 'Connect'}
          </button>
          <small id="publish-token-hint">The server's <code>--publish-token-file</code>, as a full path or under <code>~/</code>. The studio's host reads it and signs each request; the token never reaches this page.</small>
        </form>

        {target && (
          <>
            <div className="publish__tabs" role="tablist" aria-label="Publishing">
              <TabButton id="publish" current={tab} onSelect={setTab}>What publishing will do</TabButton>
              <TabButton id="versions" current={tab} onSelect={setTab}>Published versions</TabButton>
            </div>
            <div role="tabpanel" id={`publish-panel-${tab}`} aria-labelledby={`publish-tab-${tab}`} className="publish__panel">
              {tab === 'publish' ? (
                <PublishPreview key={revision} target={target} document={document} />
              ) : (
                <PublishedVersions key={revision} target={target} document={document} />
              )}
            </div>
          </>
        )}
        <div className="dialog__buttons">
          <button type="button" onClick={close}>Close</button>
        </div>
      </div>
    </div>
  );
}

function TabButton({ id, current, onSelect, children }: { id: Tab; current: Tab; onSelect(tab: Tab): void; children: string }) {
  const selected = id === current;
  return (
    <button
      type="button"
      role="tab"
      id={`publish-tab-${id}`}
      aria-selected={selected}
      aria-controls={`publish-panel-${id}`}
      className={selected ? 'is-selected' : undefined}
      onClick={() => onSelect(id)}
      onKeyDown={(e) => {
        if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
        const other: Tab = id === 'publish' ? 'versions' : 'publish';
        onSelect(other);
        globalThis.document.getElementById(`publish-tab-${other}`)?.focus();
      }}
    >
      {children}
    </button>
  );
}
