import { describeError, isUnavailableError, redactMessage } from './error-description';

describe('errors described for logs', () => {
  it('names class and driver code, and blanks quoted values a driver echoes', () => {
    const error = Object.assign(new Error('invalid input syntax for type uuid: "6c0ffee-host-secret"'), { name: 'QueryFailedError', driverError: { code: '22P02' } });
    expect(describeError(error)).toBe('QueryFailedError [22P02]: invalid input syntax for type uuid: "…"');
    expect(redactMessage('invalid input value for enum kind: "x\\"y" and "z"')).toBe('invalid input value for enum kind: "…" and "…"');
    // JavaScript's own messages keep their single-quoted names.
    expect(redactMessage("Cannot read properties of undefined (reading 'id')")).toBe("Cannot read properties of undefined (reading 'id')");
  });

  it('keeps a log line short and on one line', () => {
    const text = describeError(new Error(`line one\nline two ${'x'.repeat(1000)}`));
    expect(text).not.toContain('\n');
    expect(text.length).toBeLessThan(340);
  });

  it('knows a store that is away from a bad request', () => {
    const unavailable = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('query failed'), { driverError: { code: '08006' } }),
      new Error('redis is reconnecting'),
    ];
    for (const e of unavailable) expect(isUnavailableError(e)).toBe(true);
    const bad = [new Error('invalid input syntax for type integer'), Object.assign(new Error('duplicate key'), { code: '23505' }), new TypeError('x is undefined'), 'text'];
    for (const e of bad) expect(isUnavailableError(e)).toBe(false);
  });
});
