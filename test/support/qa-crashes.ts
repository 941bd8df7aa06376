import { randomUUID } from 'node:crypto';
import type { TestHub } from './test-hub';

export interface PlantedCrash {
  /** Crashes with one tag share a stack and group into one candidate. */
  tag: string;
  version: string;
  release?: string;
  hostId?: string;
  labels?: Record<string, string>;
  crashedAt?: Date;
  reason?: string;
  component?: string;
}

/** A Python crash in package `component` at `version-release`, sent as the hub's agent does; waits until grouped. */
export async function plantCrash(hub: TestHub, crash: PlantedCrash): Promise<{ reportId: string; candidateId: string }> {
  const reportId = randomUUID();
  const component = crash.component ?? 'vzctl';
  const functions = [`${crash.tag}_handler`, `${crash.tag}_dispatch`, `${crash.tag}_main`];
  const ureport = {
    ureport_version: 2,
    reason: crash.reason ?? `KeyError in ${component}`,
    reporter: { name: 'satyr', version: '0.43' },
    os: { name: 'virtuozzo', version: '9', architecture: 'x86_64' },
    problem: {
      type: 'python',
      component,
      exception_name: 'KeyError',
      stacktrace: functions.map((f, i) => ({ file_name: `/usr/lib/python3.9/site-packages/${component}/${crash.tag}.py`, file_line: 10 + i, function_name: f, line_contents: `${f}()` })),
    },
    packages: [{ name: component, version: crash.version, release: crash.release ?? '1.vz9', architecture: 'noarch' }],
  };
  await hub.http
    .post('/api/v1/crash-reports')
    .send({
      reportId,
      hostId: crash.hostId ?? randomUUID(),
      ...(crash.crashedAt ? { crashedAt: crash.crashedAt.toISOString() } : {}),
      ...(crash.labels ? { labels: crash.labels } : {}),
      ureport,
    })
    .expect(202);
  const final = await hub.settled(reportId);
  if (final.status !== 'processed') throw new Error(`crash ${reportId}: ${final.status} ${final.reject_reason}`);
  const rows = await hub.db.query('SELECT candidate_id FROM crash_report WHERE id = $1', [reportId]);
  return { reportId, candidateId: rows[0].candidate_id };
}
