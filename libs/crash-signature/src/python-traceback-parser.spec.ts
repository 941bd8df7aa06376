import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeFrames } from './frame-normalization';
import { parsePythonTraceback } from './python-traceback-parser';

const DIR = join(__dirname, '../../../test/fixtures/upstream/satyr/tests/python_stacktraces');
const parse = (name: string) => parsePythonTraceback(readFileSync(join(DIR, name), 'utf8'));

describe('parsePythonTraceback', () => {
  it.each(readdirSync(DIR))('parses %s', (name) => {
    const parsed = parse(name);
    expect(parsed.family).toBe('python');
    expect(parsed.frames.length).toBeGreaterThan(0);
    expect(parsed.exceptionName).toMatch(/^[\w.]+$/);
  });

  it('orders frames innermost first', () => {
    const parsed = parse('python-03');
    expect(parsed.exceptionName).toBe('ZeroDivisionError');
    expect(parsed.frames.map((f) => [f.function, f.file, f.line])).toEqual([
      ['<module>', '<string>', 1],
      ['f', './test.py', 4],
      ['<lambda>', './test.py', 6],
      ['<module>', '<stdin>', 1],
    ]);
  });

  it('reads ABRT-format dumps with a summary line and local variables', () => {
    const parsed = parse('python-05');
    expect(parsed.exceptionName).toBe('SyntaxError');
    expect(parsed.frames[0]).toEqual({ file: '/usr/lib64/python2.7/site-packages/report/__init__.py', line: 15 });
    expect(normalizeFrames('python', parsed.frames)[0]).toEqual({ function: '??', module: 'report/__init__.py' });
    expect(parsed.frames[1]).toMatchObject({ function: '<module>', file: '/usr/bin/will_python_raise', line: 2 });
  });

  it('reads a yum traceback', () => {
    const parsed = parse('python-01');
    expect(parsed.exceptionName).toBe('AttributeError');
    expect(normalizeFrames('python', parsed.frames)[0]).toMatchObject({ function: '_getPackage' });
  });

  it('takes the last exception of a chain', () => {
    const text = [
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3.9/site-packages/vzlib/config.py", line 10, in load',
      '    return json.load(f)',
      'KeyError: \'ve_root\'',
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "/usr/sbin/vzcfgcheck", line 5, in <module>',
      '    main()',
      '  File "/usr/lib/python3.9/site-packages/vzlib/cli.py", line 22, in main',
      '    raise ConfigError("bad config") from None',
      'vzlib.errors.ConfigError: bad config',
    ].join('\n');
    const parsed = parsePythonTraceback(text);
    expect(parsed.exceptionName).toBe('vzlib.errors.ConfigError');
    expect(parsed.frames.map((f) => f.function)).toEqual(['main', '<module>']);
  });
});
