import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { problemDirIdentity, reportedToAbrtServer } from './crash-identity';

function dir(elements: Record<string, string>) {
  return { elements: new Map(Object.entries(elements).map(([k, v]) => [k, Buffer.from(v)])), text: (n: string) => elements[n] };
}

describe('crash identity of a problem directory', () => {
  const base = { uuid: 'abc123', hostname: 'node1.example', time: '1700000000', count: '5' };

  it('is the same for the same crash whatever the archive bytes, and carries ABRT count', () => {
    const a = problemDirIdentity(dir(base), 'sha-a');
    const b = problemDirIdentity(dir({ ...base, count: '6', last_occurrence: '1700000900' }), 'sha-b');
    expect(a.key).toBe(b.key);
    expect(a.key).toMatch(/^dir:[0-9a-f]{64}$/);
    expect([a.count, b.count]).toEqual([5, 6]);
  });

  it('differs per host and per first occurrence; the sender host id wins over hostname', () => {
    const keys = new Set([
      problemDirIdentity(dir(base), 's').key,
      problemDirIdentity(dir({ ...base, hostname: 'node2.example' }), 's').key,
      problemDirIdentity(dir({ ...base, time: '1700000001' }), 's').key,
      problemDirIdentity(dir(base), 's', 'b8f0a3c2-0000-4000-8000-000000000001').key,
    ]);
    expect(keys.size).toBe(4);
  });

  it('falls back to the archive content hash, and never keeps the host name', () => {
    const id = problemDirIdentity(dir({ type: 'CCpp', core_backtrace: '{}' }), 'deadbeef');
    expect(id.key).toBe('sha256:deadbeef');
    expect(problemDirIdentity(dir(base), 's').key).not.toContain('node1');
  });

  it('reads the reported_to libreport wrote in the abrt fixture', () => {
    const text = readFileSync(join(__dirname, '../../../test/fixtures/upstream/abrt/tests/runtests/ureport-attachments/ex_crash_dir/reported_to'), 'utf8');
    expect(reportedToAbrtServer(text)).toEqual({ reportIds: [], bthashes: ['072c77ed630343ca99dd5333cfd159a3b062e69b'] });
  });

  it('reads what reporter-ureport recorded in reported_to', () => {
    const text = [
      'ABRT Server: TIME=2024-01-01-10:00:00 URL=http://hub:8080/reports/bthash/2dd542ba1f1e074216196b6c0bd548609bf38ebc BTHASH=2dd542ba1f1e074216196b6c0bd548609bf38ebc',
      'ABRT Server: URL=http://hub:8080/reports/0f7c4e1a-8b7e-4f5e-9a53-2a8f0c6d1e22',
      'Bugzilla: URL=https://bugzilla.redhat.com/show_bug.cgi?id=1234',
    ].join('\n');
    expect(reportedToAbrtServer(text)).toEqual({
      reportIds: ['0f7c4e1a-8b7e-4f5e-9a53-2a8f0c6d1e22'],
      bthashes: ['2dd542ba1f1e074216196b6c0bd548609bf38ebc'],
    });
    expect(reportedToAbrtServer('Bugzilla: URL=https://x/reports/0f7c4e1a-8b7e-4f5e-9a53-2a8f0c6d1e22')).toEqual({ reportIds: [], bthashes: [] });
  });
});
