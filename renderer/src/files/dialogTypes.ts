/** An in-app dialog: a question with buttons, optionally with a text field. */
export interface DialogRequest {
  title: string;
  message?: string;
  /** when set, the dialog has a text field starting with this value; its text is the answer */
  input?: { label: string; value: string };
  /** when set, the dialog offers these options as a list (the chosen id is the answer) */
  options?: { id: string; label: string; description?: string }[];
  buttons: { id: string; label: string; tone?: 'primary' | 'danger' }[];
  /** resolves with the answer, or null when dismissed */
  resolve(answer: DialogAnswer | null): void;
}

export interface DialogAnswer {
  button: string;
  /** the text field's value ('' without one) */
  value: string;
  /** the chosen option's id, when there are options */
  option?: string;
}
