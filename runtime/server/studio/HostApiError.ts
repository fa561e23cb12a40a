/** A host API failure with the HTTP status to answer and a message meant for the author. */
export class HostApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HostApiError';
  }
}
