import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadAgentConfig, parseAgentConfig } from './agent-config';

const messageOf = (input: unknown) => {
  try {
    parseAgentConfig(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('agent config', () => {
  it('fills defaults: opt-in consent off, weekly period, FILE protocol', () => {
    const config = parseAgentConfig({});
    expect(config.enabled).toBe(false);
    expect(config.report_period).toBe(7 * 86_400_000);
    expect(config.protocol).toEqual({ type: 'FILE', path: '/var/cache/cep/report.tar.gz' });
  });

  it('parses report_period like the original (15m compresses the week)', () => {
    expect(parseAgentConfig({ report_period: '15m' }).report_period).toBe(900_000);
    expect(parseAgentConfig({ report_period: '1h30m' }).report_period).toBe(5_400_000);
  });

  it.each([
    [{ report_period: '15x' }, 'config: report_period: invalid duration "15x"'],
    [{ collector_timeout: '' }, 'config: collector_timeout: invalid duration ""'],
    [{ protocol: { type: 'HTTP', hub_url: 'not a url' } }, 'config: protocol.hub_url:'],
    [{ protocol: { type: 'SMTP' } }, 'config: protocol.type:'],
    [{ collectors: { cpu: 'yes' } }, 'config: collectors.cpu:'],
    [{ collectors: { gpu: true } }, 'config: collectors.gpu:'],
    [{ reprot_period: '7d' }, 'config: reprot_period: unknown key'],
    [{ spool_dir: 'relative/dir' }, 'config: spool_dir: must be an absolute path'],
    [{ timetable: { mon: ['cpu', 'nope'] } }, 'config: timetable.mon.1:'],
    [{ spool_max_reports: 0 }, 'config: spool_max_reports:'],
  ])('names the bad key for %j', (input, expected) => {
    expect(messageOf(input)).toContain(expected);
  });

  it('reports unreadable and non-JSON files with the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cep-config-'));
    writeFileSync(join(dir, 'bad.json'), '{ "enabled": tru');
    expect(() => loadAgentConfig(join(dir, 'bad.json'))).toThrow(/is not valid JSON/);
    expect(() => loadAgentConfig(join(dir, 'missing.json'))).toThrow(/cannot read .*missing.json: ENOENT/);
  });
});
