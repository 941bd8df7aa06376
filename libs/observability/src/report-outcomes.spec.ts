import { refusalReason, rejectionReason } from './report-outcomes';

describe('outcome reasons', () => {
  it('a refusal is named by the error, else by its HTTP status class', () => {
    expect(refusalReason(415)).toBe('unsupported-media-type');
    expect(refusalReason(400)).toBe('invalid-input');
    expect(refusalReason(503)).toBe('unavailable');
    expect(refusalReason(418)).toBe('client-error');
    expect(refusalReason(502)).toBe('server-error');
    expect(refusalReason(400, 'bad-archive')).toBe('bad-archive');
    // A label must stay a short token: anything else falls back to the status.
    expect(refusalReason(400, 'Not A Label With Spaces')).toBe('invalid-input');
  });

  it('processing rejections keep a bounded label', () => {
    expect(rejectionReason('Unexpected token t in JSON at position 0')).toBe('invalid-json');
    expect(rejectionReason('processing failed: QueryFailedError [08006]: …')).toBe('processing-failed');
    expect(rejectionReason('archive rejected (bomb): too large')).toBe('bad-archive');
    expect(rejectionReason('invalid manifest.json: sequence')).toBe('invalid-manifest');
    expect(rejectionReason('Python problem directory has no frames')).toBe('no-usable-stack');
    expect(rejectionReason('something else')).toBe('invalid-crash');
  });
});
