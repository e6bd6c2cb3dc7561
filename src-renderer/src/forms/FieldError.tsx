// One field's validation message, tied to its input (aria-describedby="error-<field>").
export function FieldError({ field, message }: { field: string; message: string | undefined }) {
  if (!message) return null
  return (
    <div className="field-error" id={`error-${field}`} role="alert" data-testid={`error-${field}`}>
      {message}
    </div>
  )
}
