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

/** A button whose action's failure is shown beside it instead of being lost. */
export function actionButton(label: string, action: () => Promise<void>): Node {
  const message = h('span', { class: 'error', role: 'alert', hidden: true });
  const button = h(
    'button',
    {
      onclick: () => {
        message.hidden = true;
        action().catch((err: unknown) => {
          message.textContent = err instanceof Error ? err.message : String(err);
          message.hidden = false;
        });
      },
    },
    label,
  );
  return h('span', {}, button, message);
}

export const noTenant = () => h('p', {}, 'Create a tenant first (Tenants page).');
