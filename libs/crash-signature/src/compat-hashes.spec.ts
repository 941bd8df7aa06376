import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { abrtKoopsDuphash, abrtKoopsDuphashText, fafBthash, UReportProblem } from './compat-hashes';
import { parseKernelOops } from './kernel-oops-parser';

const UPSTREAM = join(__dirname, '../../../test/fixtures/upstream');
const problem = (name: string) =>
  (JSON.parse(readFileSync(join(UPSTREAM, 'faf/tests/sample_reports', name), 'utf8')) as { problem: UReportProblem })
    .problem;

describe('fafBthash', () => {
  // Expected values computed with a Python transliteration of FAF's problemtypes/*.py hash_ureport.
  it.each([
    ['ureport_core', 'd377398579f262a17d50b2f6ff8059133ac2f655'],
    ['ureport_python', '233b70036e26e421fa062b5ca06cdd26de64c663'],
    ['ureport_kerneloops', '0db9d5f343e6142e26a5ebd4cd06d1339c896919'],
    ['ureport_java', 'dd7ab97d3ba6fdf8cfe88c3d33aa1bba1326bc40'],
  ])('matches FAF for %s', (name, expected) => {
    expect(fafBthash(problem(name))).toBe(expected);
  });

  it('is sha1 of the newline-joined component and frame keys', () => {
    const expected = createHash('sha1').update('vzctl\nparse @ /usr/sbin/vzctl\nmain @ /usr/sbin/vzctl').digest('hex');
    const core: UReportProblem = {
      type: 'core',
      component: 'vzctl',
      stacktrace: [
        { frames: [{ function_name: 'other', file_name: '/lib64/libc.so.6' }] },
        {
          crash_thread: true,
          frames: [
            { function_name: 'parse', file_name: '/usr/sbin/vzctl' },
            { function_name: 'main', file_name: '/usr/sbin/vzctl' },
          ],
        },
      ],
    };
    expect(fafBthash(core)).toBe(expected);
  });

  it('falls back to build_id_offset when a frame lacks a name', () => {
    const core: UReportProblem = {
      type: 'core',
      component: 'c',
      stacktrace: [
        {
          crash_thread: true,
          frames: [
            { build_id_offset: 42, file_name: '/x' },
            { function_name: 'f', build_id_offset: 7, file_name: '/x' },
          ],
        },
      ],
    };
    expect(fafBthash(core)).toBe(createHash('sha1').update('c\n42 @ /x\n7 @ /x').digest('hex'));
  });
});

describe('abrtKoopsDuphash', () => {
  const oops = (name: string) =>
    parseKernelOops(readFileSync(join(UPSTREAM, 'abrt/tests/examples', name), 'utf8')).frames;

  it('hashes the first 6 reliable frames, unnormalized, without a header', () => {
    expect(abrtKoopsDuphashText(oops('hash-gen-same-as-oops6.right'))).toBe(
      [
        'warn_slowpath_common',
        'warn_slowpath_fmt',
        'lis3lv02d_get_pwron_wait',
        'lis3lv02d_poweron',
        'lis3lv02d_init_device',
        'lis3lv02d_add',
        '',
      ].join('\n'),
    );
    expect(abrtKoopsDuphash(oops('hash-gen-oops6.right'))).toBe(
      createHash('sha1').update(abrtKoopsDuphashText(oops('hash-gen-oops6.right'))).digest('hex'),
    );
  });

  it('keeps compiler suffixes (abrt does not normalize), skips `?` frames, prints unnamed ones by address', () => {
    const frames = [
      { function: 'foo.isra.0', reliable: true },
      { function: 'bar', reliable: false },
      { address: 0x3fffd4a1d92, reliable: true },
    ];
    expect(abrtKoopsDuphashText(frames)).toBe('foo.isra.0\n0x3fffd4a1d92\n');
  });

  it('is null when no frame is reliable', () => {
    expect(abrtKoopsDuphash(oops('oops_no_reliable_frame.right'))).toBeNull();
  });
});
