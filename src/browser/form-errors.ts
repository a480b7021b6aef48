/**
 * Shows a form's problems the GOV.UK way: an error summary at the top linking to
 * each field, and each field's own message, marked invalid for screen readers.
 * Fields are found by id `${prefix}-${field}`, their messages by `${prefix}-${field}-error`.
 */
export function showFormProblems(
  form: { summary: HTMLElement; list: HTMLElement; prefix: string; fields: readonly string[] },
  problems: { field: string; reason: string }[],
): void {
  form.list.replaceChildren();
  for (const field of form.fields) {
    const problem = problems.find((candidate) => candidate.field === field);
    const message = document.getElementById(`${form.prefix}-${field}-error`);
    const input = document.getElementById(`${form.prefix}-${field}`);
    if (!message || !input) continue;
    message.hidden = !problem;
    message.textContent = problem ? problem.reason : '';
    if (problem) message.prepend(Object.assign(document.createElement('span'), { className: 'visually-hidden', textContent: 'Error: ' }));
    message.closest('.form-group')?.classList.toggle('form-group--error', Boolean(problem));
    if (problem) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    if (problem) {
      const item = document.createElement('li');
      item.append(Object.assign(document.createElement('a'), { href: `#${form.prefix}-${field}`, textContent: problem.reason }));
      form.list.append(item);
    }
  }
  // A problem with no field of its own (the link, the hub) is listed without a link.
  for (const problem of problems.filter((candidate) => !form.fields.includes(candidate.field))) {
    form.list.append(Object.assign(document.createElement('li'), { textContent: problem.reason }));
  }
  form.summary.hidden = problems.length === 0;
  if (problems.length > 0) form.summary.focus();
}
