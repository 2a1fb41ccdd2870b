/**
 * What was typed into a form, to show it again when a submission is refused: without
 * JavaScript the page renders the POST's own response, so the fields are filled from the
 * request, exactly as sent (never trimmed or validated: the errors sit beside the user's words).
 * The comment form, the admin login, the rules form and the admin edit and reply forms read it here.
 */
export interface TypedForm {
  /** Whether a submission is being shown again (false: the form shows its stored or empty values). */
  readonly submitted: boolean;
  /** A field's text as typed; `fallback` when no form was submitted or the field was not in it. */
  text(name: string, fallback?: string): string;
  /** Whether a checkbox was ticked; `fallback` when no form was submitted (an unticked box is simply absent). */
  checked(name: string, fallback?: boolean): boolean;
}

/** The fields of `formData` (null: nothing submitted, every field its fallback). A field sent twice refills its first value. */
export function typedForm(formData: FormData | null): TypedForm {
  return {
    submitted: formData !== null,
    text(name, fallback = '') {
      const value = formData?.get(name);
      return typeof value === 'string' ? value : fallback;
    },
    checked(name, fallback = false) {
      return formData ? formData.get(name) === 'on' : fallback;
    },
  };
}

/** No submission: the form as stored. */
export const NOTHING_TYPED: TypedForm = typedForm(null);

/** The submitted form of `request`; an unreadable body counts as nothing submitted. */
export async function readTypedForm(request: Request): Promise<TypedForm> {
  return typedForm(await request.formData().catch(() => null));
}
