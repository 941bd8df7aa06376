/**
 * Line prefixes that kernel logs carry in the wild, outermost first. Each is optional; what is
 * left is the printk text itself (its leading indentation trimmed).
 *
 * - syslog / journal: `Dec  4 19:08:17 host kernel: `, `2026-12-04T19:08:17.123456+00:00 host kernel: `,
 *   `Dec 04 19:08:17 host kernel[0]: ` (a line of another program returns undefined);
 * - `dmesg -x`: `kern  :warn  : `;
 * - log level: `<4>` (`/proc/kmsg`, `dmesg -r`, netconsole);
 * - time: `[   12.345678]`, `dmesg -T` `[Fri Dec  4 19:08:17 2026]`, `dmesg --time-format iso`;
 * - printk caller id (CONFIG_PRINTK_CALLER): `[ T5831]`, `[    C2]`, after a timestamp or alone.
 */
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const SYSLOG_TIME = `(?:${MONTH} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)?)`;
const SYSLOG = new RegExp(`^(?:<\\d{1,3}>)?${SYSLOG_TIME} \\S+ ([^\\s:\\[]+)(?:\\[\\d+\\])?: ?`);
const DMESG_DECODE = /^(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local\d)\s*:\s*(?:emerg|alert|crit|err|warn|notice|info|debug)\s*: /;
const LEVEL = /^<\d{1,2}>/;
const TIMESTAMP = new RegExp(
  '^\\[\\s*(?:\\d+\\.\\d+|[A-Z][a-z]{2} ' +
    `${MONTH} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4})\\]` +
    '|^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[.,]\\d+[+-]\\d\\d:?\\d\\d ',
);
const CALLER = /^\[\s*[CT]\d+\]/;

/**
 * The printk text of one log line, or undefined for a line another program wrote into a syslog or journal.
 * Leading indentation is trimmed: no consumer of oops text depends on it.
 */
export function stripKernelLogPrefix(line: string): string | undefined {
  let rest = line;
  const syslog = SYSLOG.exec(rest);
  if (syslog) {
    if (syslog[1] !== 'kernel') return undefined;
    rest = rest.slice(syslog[0].length);
  }
  rest = rest.replace(DMESG_DECODE, '').replace(LEVEL, '');
  const time = TIMESTAMP.exec(rest);
  if (time) rest = rest.slice(time[0].length);
  const caller = CALLER.exec(rest.trimStart());
  if (caller) rest = rest.trimStart().slice(caller[0].length);
  return rest.trim();
}

/** A whole log as printk lines, other programs' syslog lines dropped. */
export function kernelLogLines(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = stripKernelLogPrefix(raw);
    if (line !== undefined) lines.push(line);
  }
  return lines;
}
