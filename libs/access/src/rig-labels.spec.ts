import { labelsWithRig } from './rig-labels';

describe('labelsWithRig', () => {
  const rig = { name: 'rig-7', labels: { build: 'vz7-2026.12', test_run: 'nightly-41' } };

  it('adds the key\'s labels to a report that has none', () => {
    expect(labelsWithRig(undefined, rig)).toEqual({ rig: 'rig-7', build: 'vz7-2026.12', test_run: 'nightly-41' });
  });

  it('keeps the report\'s own values over the key\'s defaults, but never its claim to another rig', () => {
    expect(labelsWithRig({ test_run: 'nightly-42', rig: 'someone-else', case: 'ploop' }, rig)).toEqual({
      rig: 'rig-7',
      build: 'vz7-2026.12',
      test_run: 'nightly-42',
      case: 'ploop',
    });
  });

  it('leaves reports without a rig key as they are', () => {
    expect(labelsWithRig({ a: 'b' }, null)).toEqual({ a: 'b' });
    expect(labelsWithRig(undefined, null)).toBeUndefined();
  });
});
