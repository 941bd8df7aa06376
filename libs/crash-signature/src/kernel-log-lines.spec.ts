import { kernelLogLines, stripKernelLogPrefix } from './kernel-log-lines';

const TEXT = 'BUG: kernel NULL pointer dereference, address: 0000000000000008';
const FRAME = 'vzquota_sync+0x1a/0x40 [vzdquota]';

describe('stripKernelLogPrefix', () => {
  it.each([
    ['bare', TEXT],
    ['dmesg timestamp', `[   12.345678] ${TEXT}`],
    ['large timestamp', `[123456.000001] ${TEXT}`],
    ['timestamp and thread caller id', `[   12.345678][ T5831] ${TEXT}`],
    ['timestamp and CPU caller id', `[   12.345678][    C2] ${TEXT}`],
    ['timestamp, space, caller id', `[   12.345678] [ T5831] ${TEXT}`],
    ['caller id alone', `[ T5831] ${TEXT}`],
    ['CPU caller id alone', `[    C2] ${TEXT}`],
    ['dmesg -T', `[Fri Dec  4 19:08:17 2026] ${TEXT}`],
    ['dmesg -T with caller id', `[Fri Dec  4 19:08:17 2026][ T1] ${TEXT}`],
    ['dmesg --time-format iso', `2026-12-04T19:08:17,123456+00:00 ${TEXT}`],
    ['log level', `<1>${TEXT}`],
    ['log level and timestamp', `<4>[   12.345678] ${TEXT}`],
    ['log level, timestamp, caller id', `<4>[   12.345678][ T5831] ${TEXT}`],
    ['dmesg -x', `kern  :alert : [   12.345678] ${TEXT}`],
    ['journal short', `Dec 04 19:08:17 vz7-node1 kernel: ${TEXT}`],
    ['journal short with timestamp', `Dec 04 19:08:17 vz7-node1 kernel: [   12.345678] ${TEXT}`],
    ['syslog with single-digit day', `Dec  4 19:08:17 vz7-node1 kernel: ${TEXT}`],
    ['syslog with caller id', `Dec  4 19:08:17 vz7-node1 kernel: [   12.345678][ T5831] ${TEXT}`],
    ['journal short-iso', `2026-12-04T19:08:17+0000 vz7-node1 kernel: ${TEXT}`],
    ['rsyslog RFC 3339', `2026-12-04T19:08:17.123456+00:00 vz7-node1 kernel: ${TEXT}`],
    ['syslog with priority', `<2>Dec  4 19:08:17 vz7-node1 kernel: ${TEXT}`],
  ])('%s', (_name, line) => {
    expect(stripKernelLogPrefix(line)).toBe(TEXT);
  });

  it('keeps frames intact behind every prefix, indentation trimmed', () => {
    for (const line of [
      `[   12.345678]  ${FRAME}`,
      `[   12.345678][ T5831]  ${FRAME}`,
      `[    C2]  ${FRAME}`,
      `<4>[Fri Dec  4 19:08:17 2026]  ${FRAME}`,
      `Dec 04 19:08:17 host kernel:  ${FRAME}`,
    ]) {
      expect(stripKernelLogPrefix(line)).toBe(FRAME);
    }
  });

  it('keeps address-bracketed frames: `[<ffffffff81000000>]` is not a caller id', () => {
    expect(stripKernelLogPrefix('[   1.0]  [<ffffffff81000000>] ? vzquota_sync+0x1a/0x40')).toBe(
      '[<ffffffff81000000>] ? vzquota_sync+0x1a/0x40',
    );
  });

  it('drops lines other programs wrote into a journal or syslog', () => {
    expect(stripKernelLogPrefix('Dec 04 19:08:17 vz7-node1 systemd[1]: Started Session 3.')).toBeUndefined();
    expect(stripKernelLogPrefix('Dec  4 19:08:17 vz7-node1 vzctl[2231]: Container 101 started')).toBeUndefined();
    expect(kernelLogLines(`Dec 04 19:08:17 h systemd[1]: x\nDec 04 19:08:17 h kernel: ${TEXT}\r\n`)).toEqual([TEXT, '']);
  });
});
