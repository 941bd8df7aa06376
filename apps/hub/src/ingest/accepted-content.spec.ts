import { ACCEPTED_CONTENT, contentTypeRefusal } from './accepted-content';
import { reportedToOf } from './faf-reported-to';

describe('accepted content types per door', () => {
  it('takes listed types with parameters, refuses others listing what it takes', () => {
    expect(contentTypeRefusal(ACCEPTED_CONTENT.faf, 'multipart/form-data; boundary=x')).toBeNull();
    expect(contentTypeRefusal(ACCEPTED_CONTENT.faf, 'Application/JSON; charset=utf-8')).toBeNull();
    expect(contentTypeRefusal(ACCEPTED_CONTENT.cepReport, 'application/xml')).toBe(
      'unsupported Content-Type application/xml; accepted: application/gzip, application/x-gzip, multipart/form-data',
    );
  });

  it('tells a JSON door\'s caller who forgot the JSON content type how to send it', () => {
    const faf = contentTypeRefusal(ACCEPTED_CONTENT.faf, 'application/x-www-form-urlencoded');
    expect(faf).toMatch(/^a JSON body needs Content-Type: application\/json \(or send it as a multipart\/form-data field named `file`\)/);
    expect(contentTypeRefusal(ACCEPTED_CONTENT.crashReport, undefined)).toMatch(/^a JSON body needs Content-Type: application\/json; got no Content-Type/);
    expect(contentTypeRefusal(ACCEPTED_CONTENT.crashReport, 'text/plain')).not.toMatch(/multipart/);
  });

  it('reporter-upload may send no content type at all', () => {
    expect(contentTypeRefusal(ACCEPTED_CONTENT.upload, undefined)).toBeNull();
    expect(contentTypeRefusal(ACCEPTED_CONTENT.upload, 'text/html')).toMatch(/accepted: application\/gzip/);
  });
});

describe('reported_to entries as ABRT Analytics lists attachments', () => {
  it('bug trackers and URLs become type url; comments, e-mails and odd data do not', () => {
    expect(reportedToOf({ type: 'rhel-bugzilla', data: '1234' })).toEqual({ reporter: 'Bugzilla', type: 'url', value: 'https://bugzilla.redhat.com/show_bug.cgi?id=1234' });
    expect(reportedToOf({ type: 'centos-mantisbt', data: '99' })).toEqual({ reporter: 'CentOS Bug Tracker', type: 'url', value: 'https://bugs.centos.org/view.php?id=99' });
    expect(reportedToOf({ type: 'url', data: 'https://tracker.example/7' })).toEqual({ reporter: 'URL', type: 'url', value: 'https://tracker.example/7' });
    expect(reportedToOf({ type: 'comment', data: 'hello' })).toBeNull();
    expect(reportedToOf({ type: 'email', data: 'a@b.c' })).toBeNull();
    expect(reportedToOf({ type: 'rhel-bugzilla', data: '12; drop' })).toBeNull();
    expect(reportedToOf({ type: 'url', data: 'javascript:alert(1)' })).toBeNull();
  });
});
