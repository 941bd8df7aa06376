import { escapeHtml } from './html-escape';

const TRUSTED = Symbol('trusted-html');

/**
 * Markup made by this library's `html` template. Only the template can make one, so text from
 * reports, hosts or people can never be passed off as markup.
 */
export class SafeHtml {
  readonly #html: string;

  constructor(token: typeof TRUSTED, markup: string) {
    if (token !== TRUSTED) throw new Error('SafeHtml is made by the html template only');
    this.#html = markup;
  }

  toString(): string {
    return this.#html;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(String(value));
}

/**
 * Auto-escaping template: every interpolated value is escaped for element content and quoted
 * attributes, unless it is itself the result of `html`. Arrays are joined; null, undefined and
 * booleans render as nothing (so `${cond && html`…`}` works).
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new SafeHtml(TRUSTED, out);
}

/** Joins fragments with a separator (itself text, escaped). */
export function joinHtml(parts: readonly SafeHtml[], separator: string): SafeHtml {
  return html`${parts.flatMap((p, i) => (i ? [separator, p] : [p]))}`;
}
