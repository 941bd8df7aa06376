/** A Python crash in one made-up component, as a uReport and as an ABRT backtrace, from function names. */
export function pythonUReport(functions: string[]) {
  return {
    ureport_version: 2,
    reason: 'KeyError in vzpanel',
    reporter: { name: 'satyr', version: '0.43' },
    os: { name: 'virtuozzo', version: '9', architecture: 'x86_64' },
    problem: {
      type: 'python',
      component: 'vzpanel',
      exception_name: 'KeyError',
      stacktrace: functions.map((f, i) => ({ file_name: '/usr/lib/python3.9/site-packages/vzpanel/cli.py', file_line: 10 + i, function_name: f, line_contents: `${f}()` })),
    },
    packages: [{ name: 'vzpanel', version: '1.2', release: '3.vz9', architecture: 'noarch' }],
  };
}

export function pythonTraceback(functions: string[]): string {
  const frames = functions.map((f, i) => `  File "/usr/lib/python3.9/site-packages/vzpanel/cli.py", line ${10 + i}, in ${f}\n    ${f}()`);
  return `Traceback (most recent call last):\n${frames.join('\n')}\nKeyError: 'root'\n`;
}
