/** A history request the caller got wrong (bad filter, unknown session): the message says what and how to fix it. */
export class HistoryInputError extends Error {
  constructor(
    message: string,
    /** 404 for an unknown session, 400 otherwise */
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
    this.name = 'HistoryInputError';
  }
}
