import { visibleTrackerLinks } from './candidates.service';

describe('tracker links on a candidate', () => {
  const links = [
    { type: 'email', data: 'jane@customer.example' },
    { type: 'url', data: 'https://bugs.example/1' },
    { type: 'bugzilla', data: '123' },
  ];
  it.each([
    [undefined, ['url', 'bugzilla']],
    ['viewer', ['url', 'bugzilla']],
    ['developer', ['url', 'bugzilla']],
    ['qa', ['email', 'url', 'bugzilla']],
    ['admin', ['email', 'url', 'bugzilla']],
  ] as const)('e-mail addresses are shown from qa up (caller %s)', (role, types) => {
    expect(visibleTrackerLinks(links, role).map((l) => l.type)).toEqual(types);
  });
});
