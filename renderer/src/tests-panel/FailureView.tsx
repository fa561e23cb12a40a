import type { TestFailure } from '../../../runtime/flow/runConversationTest.ts';

/** Where a test went another way: the step, and what it expected beside what the bot said. */
export function FailureView({ failure, onShow, onAccept }: { failure: TestFailure; onShow?: () => void; onAccept?: () => void }) {
  return (
    <div className="test-failure" data-testid="test-failure">
      <p className="test-failure__reason">{failure.reason}</p>
      <table className="test-failure__diff">
        <thead>
          <tr>
            <th scope="col">Expected</th>
            <th scope="col">The bot said</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td data-testid="failure-expected">{failure.expected}</td>
            <td data-testid="failure-said">{failure.said}</td>
          </tr>
        </tbody>
      </table>
      <div className="test-failure__actions">
        {onShow && failure.state !== undefined && (
          <button type="button" onClick={onShow}>
            Show <code>{failure.state}</code> on the canvas
          </button>
        )}
        {onAccept ? (
          <button type="button" className="tone-primary" onClick={onAccept} data-testid="accept-behaviour">
            Accept the new behaviour
          </button>
        ) : (
          <span className="test-failure__hint">The visitor's action no longer fits the flow: edit the test or delete it.</span>
        )}
      </div>
    </div>
  );
}
