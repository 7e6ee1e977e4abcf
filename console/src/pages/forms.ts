import { h } from '../dom.js';

/** Wires a form's submit to `action`, showing its error under the form instead of losing it. */
export function submitting(form: HTMLFormElement, action: (form: HTMLFormElement) => Promise<void>) {
  const message = h('p', { class: 'error', role: 'alert', hidden: true });
  form.append(message);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    message.hidden = true;
    action(form).catch((err: unknown) => {
      message.textContent = err instanceof Error ? err.message : String(err);
      message.hidden = false;
    });
  });
  return form;
}

export const noTenant = () => h('p', {}, 'Create a tenant first (Tenants page).');
