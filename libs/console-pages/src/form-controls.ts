import { html, type SafeHtml } from './html';
import type { FilterField } from './queue-query';

/** A labelled input; `list` names a datalist of known values. */
export function field(f: FilterField, value: string, list?: string): SafeHtml {
  const id = `f-${f.name}`;
  return html`<div class="field"><label for="${id}">${f.label}</label><input id="${id}" name="${f.name}" type="${f.kind === 'date' ? 'date' : 'text'}" value="${value}"${list ? html` list="${list}"` : ''}${f.hint ? html` aria-describedby="${id}-hint"` : ''}>${f.hint ? html`<small id="${id}-hint" class="muted">${f.hint}</small>` : ''}</div>`;
}

export function select(name: string, label: string, options: ReadonlyArray<{ value: string; text: string }>, current: string): SafeHtml {
  const id = `f-${name}`;
  return html`<div class="field"><label for="${id}">${label}</label><select id="${id}" name="${name}">${options.map(
    (o) => html`<option value="${o.value}"${o.value === current ? html` selected` : ''}>${o.text}</option>`,
  )}</select></div>`;
}

export function datalist(id: string, values: readonly string[]): SafeHtml {
  return html`<datalist id="${id}">${values.map((v) => html`<option value="${v}"></option>`)}</datalist>`;
}

/** An empty state that says what was looked for and what to do next. */
export function emptyState(text: string, next?: SafeHtml): SafeHtml {
  return html`<p class="empty">${text}${next ? html` ${next}` : ''}</p>`;
}
