import { runAudit } from './audit-run';

describe('cep-agent audit', () => {
  it('finds no planted value in the output dir, preview, crashes preview or the sent bytes', async () => {
    const result = await runAudit();
    expect(result.notes).toEqual([]);
    expect(result.leaks.map((l) => `${l.kind}: ${l.form} in ${l.where}`)).toEqual([]);
    expect(result.policyFailures).toEqual([]);
  });
});
