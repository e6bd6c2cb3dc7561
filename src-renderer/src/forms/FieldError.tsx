// One field's validation message, tied to its input (aria-describedby="error-<field>").

/** The input's side of that tie: invalid while there is a message, described by it (else by its hint, if any). */
export function fieldA11y(field: string, message: string | undefined, hintId?: string) {
  return {
    'aria-invalid': Boolean(message) || undefined,
    'aria-describedby': message ? `error-${field}` : hintId,
  }
}

export function FieldError({ field, message }: { field: string; message: string | undefined }) {
  if (!message) return null
  return (
    <div className="field-error" id={`error-${field}`} role="alert" data-testid={`error-${field}`}>
      {message}
    </div>
  )
}
