import { createHash } from 'node:crypto';
import { keyedMachineId } from '../../libs/crash-reports/src/crash-minimisation';
import { readArchive, toProblemDirectory } from '../../libs/storage/src/archive';
import { byteaContents, dumpDatabase } from '../support/database-scan';
import { problemDirArchive } from '../support/problem-dir-archive';
import { pythonTraceback, pythonUReport } from '../support/python-crash';
import { startTestHub, TestHub } from '../support/test-hub';

const KEY = 'minimisation-test-key-0123456789';
const LIMITS = { maxCompressedBytes: 1 << 24, maxUnpackedBytes: 1 << 26, maxEntries: 2000, maxEntryBytes: 1 << 24 };

/** What a stock client (reporter-ureport with AuthDataItems, reporter-upload) sends about its host. */
const HOSTNAME = 'stockclient-node42.customer.example';
const MACHINE_ID = 'c0ffee00c0ffee00c0ffee00c0ffee42';
const ENV_SECRET = 'DB_PASSWORD=stockclient-pw-9911';

describe('the hub keeps as little of a stock client\'s crash as processing and QA need', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub('minimise', { MACHINE_ID_KEY: KEY });
  });
  afterAll(async () => hub?.close());

  it('drops auth.hostname and keys the machine id before storing; a processed problem dir keeps only what is needed', async () => {
    const faf = await hub.http
      .post('/reports/new/')
      .send({ ...pythonUReport(['load', 'main']), auth: { hostname: HOSTNAME, machineid: MACHINE_ID } })
      .expect(202);
    const fafId = (faf.body.reported_to as Array<{ type: string; value: string }>).find((r) => r.type === 'url')!.value.split('/').pop()!;
    const upload = await hub.http
      .put('/upload/problem-stock.tar.gz')
      .set('content-type', 'application/gzip')
      .send(
        problemDirArchive(
          {
            type: 'Python3',
            component: 'vzpanel',
            executable: '/usr/bin/vzpanel',
            backtrace: pythonTraceback(['save', 'main']),
            hostname: HOSTNAME,
            machineid: MACHINE_ID,
            environ: `${ENV_SECRET}\nHOSTNAME=${HOSTNAME}\n`,
            open_fds: '0:/dev/pts/0\n',
            maps: '00400000-00452000 r-xp 00000000 08:02 173521 /usr/bin/python3\n',
            var_log_messages: `Nov 24 ${HOSTNAME} vzpanel: started\n`,
            coredump: 'ELF core',
            dmesg: 'DMI: Dell Inc. PowerEdge R640/0H28RR, BIOS 2.12.2 07/09/2021\n',
          },
          `Python3-2026-11-24-10:00:00.000001-4242`,
        ),
      )
      .expect(202);
    for (const id of [fafId, upload.body.id]) await expect(hub.settled(id)).resolves.toEqual({ status: 'processed', reject_reason: null });

    const [stored] = await hub.db.query('SELECT payload FROM raw_report WHERE id = $1', [upload.body.id]);
    const dir = toProblemDirectory(await readArchive(stored.payload, LIMITS));
    expect([...dir.elements.keys()].sort()).toEqual(['backtrace', 'component', 'dmesg', 'executable', 'machineid', 'type']);
    expect(dir.text('machineid')).toBe(keyedMachineId(KEY, MACHINE_ID));

    // The same machine id by either door is one host.
    const crashes: Array<{ host_key: string }> = await hub.db.query('SELECT DISTINCT host_key FROM crash_report WHERE id = ANY($1)', [[fafId, upload.body.id]]);
    expect(crashes).toHaveLength(1);
    expect(crashes[0].host_key).toMatch(/^mid:/);

    const dump = await dumpDatabase(hub.database.url);
    const payloads = (await byteaContents(hub.database.url)).map((p) => p.text).join('\n');
    for (const text of [dump, payloads]) {
      for (const needle of [HOSTNAME, MACHINE_ID, ENV_SECRET, createHash('sha256').update(MACHINE_ID).digest('hex').slice(0, 32)]) expect({ needle, found: text.includes(needle) }).toEqual({ needle, found: false });
    }
    // Not vacuous: the stored reports are there, frames and all.
    expect(payloads).toContain('save');
    expect(dump).toContain(fafId);
  });
});
