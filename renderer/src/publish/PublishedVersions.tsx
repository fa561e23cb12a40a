import { useEffect, useState } from 'react';
import type { PublishedVersion, PublishStatus, PublishTarget } from '../host/studioHost.ts';
import { useWorkspace } from '../files/workspaceContext.ts';
import type { DocumentStore } from '../store/createDocumentStore.ts';
import { flowChangesBetween } from './flowChangesBetween.ts';
import { ChangeList, plural } from './publishParts.tsx';
import { messageOf } from './PublishPreview.tsx';

type Diff = { hash: string; result: ReturnType<typeof flowChangesBetween> } | { hash: string; loading: true } | null;

/**
 * The server's kept versions, newest first (current marked; who, when, live sessions), a readable
 * diff of any of them against the draft, and "Roll back to this version" for the others.
 */
export function PublishedVersions({ target, document }: { target: PublishTarget; document: DocumentStore }) {
  const host = useWorkspace((w) => w.host);
  const [status, setStatus] = useState<PublishStatus | { error: string } | null>(null);
  const [diff, setDiff] = useState<Diff>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; error?: boolean } | null>(null);

  const compare = async (hash: string) => {
    setDiff({ hash, loading: true });
    try {
      const published = await host.versionText(target, hash);
      setDiff({ hash, result: flowChangesBetween(published, document.getState().text) });
    } catch (error) {
      setDiff({ hash, result: { error: messageOf(error) } });
    }
  };

  /** Lists the server's versions and compares the current one with the draft. */
  const load = (isLive: () => boolean) =>
    host.publishStatus(target).then(
      (answer) => {
        if (!isLive()) return;
        setStatus(answer);
        if (answer.current) void compare(answer.current);
      },
      (error: unknown) => isLive() && setStatus({ error: messageOf(error) }),
    );

  useEffect(() => {
    let live = true;
    void load(() => live);
    return () => {
      live = false;
    };
    // Loaded once per target (load and compare read the latest draft when they run).
  }, [host, target]);

  const rollBack = async (version: PublishedVersion) => {
    setBusy(version.hash);
    try {
      const result = await host.rollback(target, version.hash);
      setNotice({ text: `Rolled back: version ${result.hash} is published again. New conversations start on it.` });
      await load(() => true);
    } catch (error) {
      setNotice({ text: `Could not roll back: ${messageOf(error)}`, error: true });
    }
    setBusy(null);
  };

  if (status === null) return <p role="status">Loading the server's versions…</p>;
  if ('error' in status) return <p className="publish__error" role="alert">Could not list the server's versions: {status.error}</p>;
  if (status.versions.length === 0) return <p>This server keeps no versions yet.</p>;
  return (
    <div className="publish__versions">
      {notice && <p role={notice.error ? 'alert' : 'status'} className={notice.error ? 'publish__error' : 'publish__done'}>{notice.text}</p>}
      <table>
        <caption className="visually-hidden">Versions kept on {target.serverUrl}, newest first</caption>
        <thead>
          <tr><th scope="col">Version</th><th scope="col">Published</th><th scope="col">By</th><th scope="col">Live</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody>
          {byLatestPublish(status.versions).map((version) => {
            const current = version.hash === status.current;
            return (
              <tr key={version.hash} className={current ? 'is-current' : undefined} data-testid={`version-${version.hash}`}>
                <th scope="row">
                  <code>{version.hash}</code>
                  {current && <span className="publish__badge">current</span>}
                  {version.rollback && <span className="publish__badge is-muted">rollback</span>}
                </th>
                <td><time dateTime={version.publishedAt}>{formatWhen(version.publishedAt)}</time></td>
                <td>{version.by}</td>
                <td className="publish__nowrap">{plural(version.liveSessions, 'session')}</td>
                <td>
                  <div className="publish__row-actions">
                    <button type="button" aria-pressed={diff?.hash === version.hash} onClick={() => void compare(version.hash)}>Compare with draft</button>
                    {!current && (
                      <button type="button" disabled={busy !== null} onClick={() => void rollBack(version)}>
                        {busy === version.hash ? 'Rolling back…' : 'Roll back to this version'}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {diff && <DiffView diff={diff} current={diff.hash === status.current} />}
    </div>
  );
}

function DiffView({ diff, current }: { diff: NonNullable<Diff>; current: boolean }) {
  const title = `From ${current ? 'the published' : 'version'} ${diff.hash} to your draft`;
  return (
    <section className="publish__diff" aria-label={title} data-testid="publish-diff" aria-live="polite">
      <h3>{title}</h3>
      {'loading' in diff ? (
        <p role="status">Reading version {diff.hash}…</p>
      ) : 'error' in diff.result ? (
        <p className="publish__error">{diff.result.error}</p>
      ) : diff.result.changes.length === 0 ? (
        <p>No differences: the draft has the same steps as this version.</p>
      ) : (
        <ChangeList changes={diff.result.changes} />
      )}
    </section>
  );
}

/** Most recently (re)published first: a rolled-back version moves to the top. */
function byLatestPublish(versions: PublishedVersion[]): PublishedVersion[] {
  return [...versions].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
}

function formatWhen(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
