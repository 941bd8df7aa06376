import trackers from './faf-trackers.json';

export interface ReportedTo {
  reporter: string;
  type: 'url';
  value: string;
}

const TRACKERS = trackers as Record<string, { reporter: string; url: string }>;

/**
 * An attachment as ABRT Analytics lists it in `reported_to`: the tracker's name and the bug's URL
 * (type `url`), which libreport writes into the problem dir as `<reporter>: URL=<value>`.
 * Comments, e-mails and unknown trackers are not links and are left out, as FAF does.
 */
export function reportedToOf(attachment: { type: string; data: string }): ReportedTo | null {
  const tracker = TRACKERS[attachment.type];
  if (!tracker) return null;
  if (attachment.type !== 'url' && !/^\d+$/.test(attachment.data)) return null;
  if (attachment.type === 'url' && !/^https?:\/\//i.test(attachment.data)) return null;
  return { reporter: tracker.reporter, type: 'url', value: tracker.url.replace('{id}', attachment.data) };
}
