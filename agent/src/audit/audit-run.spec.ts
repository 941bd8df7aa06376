import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findLeaks } from './audit-scan';
import { runAudit } from './audit-run';

describe('cep-agent audit', () => {
  it('finds no planted value in the output dir, preview, crashes preview or the sent bytes', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'cep-audit-spec-'));
    const result = await runAudit({ work });
    expect(result.notes).toEqual([]);
    expect(result.leaks.map((l) => `${l.kind}: ${l.form} in ${l.where}`)).toEqual([]);
    expect(result.policyFailures).toEqual([]);
    // The useful data is still there: published names as themselves, customers' own as `custom`.
    const output = (name: string) => JSON.parse(readFileSync(path.join(work, 'output', `${name}.json`), 'utf8')).data;
    expect(output('container-contents').osTemplates).toEqual({ 'centos-7-x86_64': 1, custom: 1 });
    expect(output('vm-guests').guestOs).toEqual({ 'win-2019': 1, custom: 1 });
    expect(output('static-settings').vzConf).toEqual({ VIRTUOZZO: 'yes', VE_LAYOUT: 'ploop', VEFSTYPE: 'ext4', VE_ENVIRONMENT: 'custom' });
    expect(output('script.raid').raid.level).toBe(1);
  });

  it('sees a planted value in every spelling a real host gives it', () => {
    const planted = [
      { kind: 'mac', value: '02:1a:2b:3c:4d:5e' },
      { kind: 'uuid', value: '6f1c1f0c-93a4-4c1e-9d4f-6a2b57f0aa11' },
      { kind: 'ipv6', value: 'fd12:3456:789a:1::42' },
      { kind: 'user', value: 'CORP\\jdoe' },
      { kind: 'host', value: 'Node-Seven' },
    ];
    const texts = [
      { where: 'no separators', text: 'x 021A2B3C4D5E y' },
      { where: 'cisco', text: '021a.2b3c.4d5e' },
      { where: 'no dashes', text: 'id=6F1C1F0C93A44C1E9D4F6A2B57F0AA11' },
      { where: 'padded', text: 'fd12:3456:789a:0001:0000:0000:0000:0042' },
      { where: 'proc', text: 'fd123456789a00010000000000000042 02 40' },
      { where: 'json', text: '{"owner":"CORP\\\\jdoe"}' },
      { where: 'url', text: 'GET /x?host=node-seven' },
      { where: 'systemd', text: 'machine-Node\\x2dSeven.scope' },
    ];
    expect(findLeaks(planted, texts).map((l) => l.where).sort()).toEqual(texts.map((t) => t.where).sort());
    expect(findLeaks(planted, [{ where: 'clean', text: 'nothing here: 02:1a:2b, fd12::43, jdoe2' }])).toEqual([]);
  });
});
