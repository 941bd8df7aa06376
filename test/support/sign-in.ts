import request from 'supertest';
import type { Role } from '../../apps/hub/src/access/access-policy';
import type { TestHub } from './test-hub';

/** A browser-like agent (keeps cookies) signed in through the sign-in form as the test person of `role`. */
export async function signIn(hub: TestHub, role: Role): Promise<{ agent: ReturnType<typeof request.agent> }> {
  const agent = request.agent(hub.url);
  const form = await agent.get('/sign-in').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  if (!csrf) throw new Error('the sign-in form carries no _csrf field');
  const person = hub.people[role];
  await agent.post('/sign-in').type('form').send({ username: person.username, password: person.password, _csrf: csrf, next: '/candidates' }).expect(303);
  return { agent };
}
