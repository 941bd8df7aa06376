import { detectCompression } from './archive-format';
import { compress, craftTar } from '../../../../test/support/archive-builder';

describe('detectCompression', () => {
  const tar = craftTar([{ name: 'type', body: 'CCpp' }]);

  it.each([
    ['gz', 'gzip'],
    ['xz', 'xz'],
    ['bz2', 'bzip2'],
  ] as const)('recognises %s output by its magic bytes', (tool, expected) => {
    expect(detectCompression(compress(tar, tool))).toBe(expected);
  });

  it.each([
    ['an uncompressed tar', tar],
    ['a zip file', Buffer.from('PK\x03\x04rest', 'latin1')],
    ['text starting with BZh', Buffer.from('BZhello')],
    ['an empty buffer', Buffer.alloc(0)],
    ['a lone gzip magic byte', Buffer.from([0x1f])],
  ])('rejects %s', (_label, data) => {
    expect(detectCompression(data)).toBeUndefined();
  });
});
