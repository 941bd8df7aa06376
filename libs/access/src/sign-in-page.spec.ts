import { renderSignInPage, safeNext } from './sign-in-page';

describe('sign-in page', () => {
  it('escapes every value it shows', () => {
    const html = renderSignInPage({ csrfToken: '"><script>x</script>', next: '/a"b', username: '<img src=x>', error: 'bad & <b>wrong</b>' });
    expect(html).not.toMatch(/<script>|<img|<b>/);
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(html).toContain('value="&lt;img src=x&gt;"');
    expect(html).toContain('bad &amp; &lt;b&gt;wrong&lt;/b&gt;');
  });

  it('labels its fields and posts to /sign-in with the CSRF token', () => {
    const html = renderSignInPage({ csrfToken: 'tok', next: '/' });
    expect(html).toContain('<form method="post" action="/sign-in">');
    expect(html).toContain('<label for="username">');
    expect(html).toContain('<label for="password">');
    expect(html).toContain('name="_csrf" value="tok"');
    expect(html).not.toContain('single sign-on');
    expect(renderSignInPage({ csrfToken: 't', next: '/', ssoUrl: '/sign-in/oidc' })).toContain('href="/sign-in/oidc"');
  });

  it('returns only to local paths', () => {
    expect(safeNext('/api/v1/candidates?x=1')).toBe('/api/v1/candidates?x=1');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', undefined, 5, '/a b']) {
      expect(safeNext(bad)).toBe('/');
    }
  });
});
