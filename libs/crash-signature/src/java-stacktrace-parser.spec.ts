import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJavaStacktrace } from './java-stacktrace-parser';

const DIR = join(__dirname, '../../../test/fixtures/upstream/satyr/tests/java_stacktraces');
const parse = (name: string) => parseJavaStacktrace(readFileSync(join(DIR, name), 'utf8'));

describe('parseJavaStacktrace', () => {
  it.each(readdirSync(DIR))('parses %s', (name) => {
    const parsed = parse(name);
    expect(parsed.family).toBe('java');
    expect(parsed.frames.length).toBeGreaterThan(0);
    expect(parsed.exceptionName).toMatch(/^[\w.$]+$/);
  });

  it('puts the root cause first and completes it from "... N more"', () => {
    const parsed = parse('java-01');
    expect(parsed.exceptionName).toBe('java.lang.InvalidRangeException');
    expect(parsed.frames.map((f) => f.function)).toEqual([
      'MyVector.at',
      'SimpleTest.execute',
      'SimpleTest.intercept',
      'SimpleTest.throwNullPointerException',
      'SimpleTest.throwAndDontCatchException',
      'SimpleTest.main',
    ]);
    expect(parsed.frames[0]).toMatchObject({ file: 'Containers.java', line: 77 });
  });

  it('reads a plain NullPointerException trace', () => {
    const parsed = parse('java-03');
    expect(parsed.exceptionName).toBe('java.lang.NullPointerException');
    expect(parsed.frames[0].function).toBe('com.example.myproject.Book.getId');
  });

  it('strips Java 9 module prefixes and handles Native Method', () => {
    const parsed = parseJavaStacktrace(
      [
        'Exception in thread "main" java.lang.IllegalStateException: boom',
        '\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
        '\tat com.virtuozzo.Agent.run(Agent.java:12)',
      ].join('\n'),
    );
    expect(parsed.exceptionName).toBe('java.lang.IllegalStateException');
    expect(parsed.frames).toEqual([
      { function: 'jdk.internal.reflect.NativeMethodAccessorImpl.invoke0' },
      { function: 'com.virtuozzo.Agent.run', file: 'Agent.java', line: 12 },
    ]);
  });
});
