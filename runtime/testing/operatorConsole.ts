/**
 * Test helpers for the operator console: accounts with known passwords, signing in through the
 * real `/operator/login`, and a console socket whose messages a test can wait for.
 */
import { WsTestClient, type Frame } from './wsTestClient.ts';
import { hashPassword, type OperatorAccount } from '../server/operator/operatorAccounts.ts';

export const PASSWORD = 'correct horse battery staple';

/** Accounts: sam (billing), kim (billing), lee (sales), boss ("*": every queue and takeovers). */
export async function testAccounts(): Promise<OperatorAccount[]> {
  const password = await hashPassword(PASSWORD);
  return [
    { id: 'sam', name: 'Sam', queues: ['billing'], password },
    { id: 'kim', name: 'Kim', queues: ['billing'], password },
    { id: 'lee', name: 'Lee', queues: ['sales'], password },
    { id: 'boss', name: 'Boss', queues: ['*'], password },
  ];
}

/** Sign in through the form; returns the Cookie header to send, or the failed redirect's location. */
export async function signIn(url: string, id: string, password = PASSWORD): Promise<{ cookie?: string; location: string | null; status: number }> {
  const res = await fetch(`${url}operator/login`, {
    method: 'POST',
    headers: { Origin: url.replace(/\/$/, ''), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ id, password }).toString(),
    redirect: 'manual',
  });
  const setCookie = res.headers.get('set-cookie');
  return { cookie: setCookie ? setCookie.split(';', 1)[0] : undefined, location: res.headers.get('location'), status: res.status };
}

export type ConsoleMessage = { type: string; [field: string]: unknown };

/** A signed-in console socket. */
export class ConsoleClient {
  private constructor(readonly client: WsTestClient) {}

  static async open(url: string, id: string): Promise<ConsoleClient> {
    const { cookie } = await signIn(url, id);
    if (!cookie) throw new Error(`sign-in as ${id} failed`);
    return ConsoleClient.withCookie(url, cookie);
  }

  /** A console socket carrying this Cookie header (an operator's sign-in, or the studio's access cookie), from the server's own origin. */
  static async withCookie(url: string, cookieHeader: string): Promise<ConsoleClient> {
    return new ConsoleClient(await WsTestClient.connect(`${url}operator/socket`, { cookieHeader, origin: url.replace(/\/$/, '') }));
  }

  send(message: ConsoleMessage): void {
    this.client.send(message);
  }

  /** The next message that passes `test` (others are skipped). */
  async until(test: (message: ConsoleMessage) => boolean, timeoutMs = 5000): Promise<ConsoleMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = (await this.client.next(Math.max(1, deadline - Date.now()))) as Frame & ConsoleMessage;
      if (test(frame)) return frame;
    }
  }

  /** The next update showing conversation `sid` with `status`. */
  conversation(sid: string, status: string, timeoutMs?: number): Promise<ConsoleMessage> {
    return this.until((m) => {
      if (m.type === 'conversations') return (m.list as { sid: string; status: string }[]).some((c) => c.sid === sid && c.status === status);
      const c = m.conversation as { sid: string; status: string } | undefined;
      return m.type === 'conversation' && c?.sid === sid && c.status === status;
    }, timeoutMs);
  }

  close(): Promise<number> {
    return this.client.close();
  }
}
