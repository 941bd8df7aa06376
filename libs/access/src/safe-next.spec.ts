import { safeNext } from './safe-next';

describe('safeNext', () => {
  it('returns only to local paths', () => {
    expect(safeNext('/api/v1/candidates?x=1')).toBe('/api/v1/candidates?x=1');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', undefined, 5, '/a b']) {
      expect(safeNext(bad)).toBe('/');
    }
  });
});
