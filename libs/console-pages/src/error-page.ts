import { html } from './html';
import { renderLayout, type Viewer } from './layout';

/** A console error as a page (not JSON), saying what went wrong and where to go. */
export function renderErrorPage(status: number, message: string, viewer?: Viewer | null): string {
  const title = status === 404 ? 'Not found' : status < 500 ? 'Cannot do that' : 'Something went wrong';
  return renderLayout({
    title,
    nav: 'none',
    viewer,
    body: html`<h1>${title}</h1><p class="error" role="alert">${message}</p><p><a href="/candidates">Back to the candidates</a></p>`,
  });
}
