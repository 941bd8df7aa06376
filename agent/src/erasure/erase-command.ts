import { z } from 'zod';
import { HOSTS_PATH } from '../../../libs/contracts/src/cep';
import type { AgentConfig } from '../config/agent-config';
import { hubConnection, hubEndpoint, hubRequest, type HubConnection, type HubResponse } from '../delivery/hub-request';
import { Spool } from '../delivery/spool';
import { erasureKeyHash, erasureKeyPath, readErasureKey } from '../state/erasure-key';
import { readHostId, resetIdentity } from '../state/host-identity';

type Out = (text: string) => void;

/** What the hub answers to an accepted erasure: rows removed per table. */
const receiptSchema = z.object({
  hostId: z.string(),
  erasedAt: z.string(),
  deleted: z.record(z.string(), z.number().int().nonnegative()),
});

/** A hub's error body, cut so that a misconfigured proxy's HTML page does not flood the terminal. */
function detail(res: HubResponse): string {
  const text = res.body.trim().replace(/\s+/g, ' ');
  return text ? ` (${text.slice(0, 200)})` : '';
}

async function request(conn: HubConnection, method: string, endpoint: URL, key: string): Promise<HubResponse | Error> {
  return hubRequest(conn, method, endpoint, { authorization: `Bearer ${key}` }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
}

/**
 * `cep-agent erase [--dry-run]`: asks the hub to erase everything it holds about this host, proves
 * the key by sending it, checks that the hub now answers 404 for the host, and only then starts
 * afresh under a new id and key. Any failure before that keeps the id and key, so erase can be retried.
 */
export async function eraseCommand(config: AgentConfig, { dryRun }: { dryRun: boolean }, out: Out, err: Out): Promise<number> {
  const conn = hubConnection(config);
  if (!conn) {
    err('cep-agent: erase needs protocol type HTTP (a hub URL): with FILE there is no hub holding anything');
    return 1;
  }
  const stateDir = config.state_dir;
  const hostId = await readHostId(stateDir);
  if (!hostId) {
    err(`cep-agent: no host id in ${stateDir}: there is no host whose erasure could be asked for`);
    return 1;
  }
  const key = await readErasureKey(stateDir);
  if (!key) {
    err(`cep-agent: no erasure key in ${erasureKeyPath(stateDir)}: the hub erases host ${hostId} only for the key its reports carried the hash of`);
    return 1;
  }
  const endpoint = hubEndpoint(conn.hubUrl, `${HOSTS_PATH}/${hostId}`);
  const spool = new Spool(config.spool_dir, config.spool_max_reports, err);

  if (dryRun) {
    out(`DELETE ${endpoint.href}`);
    out(`authorization: Bearer <the key in ${erasureKeyPath(stateDir)}, sha256 ${erasureKeyHash(key)}>`);
    out(`then GET ${endpoint.href} with the same authorization, expecting 404`);
    out(`then a new host id and erasure key, and ${(await spool.list()).length} spooled report(s) dropped`);
    out('dry run: nothing sent, nothing changed');
    return 0;
  }

  const deleted = await request(conn, 'DELETE', endpoint, key);
  if (deleted instanceof Error) {
    err(`cep-agent: cannot reach the hub at ${conn.hubUrl}: ${deleted.message}; nothing was erased, the id and key are kept`);
    return 1;
  }
  if (deleted.status === 401 || deleted.status === 403) {
    err(`cep-agent: the hub did not accept the erasure key of host ${hostId} (HTTP ${deleted.status}); nothing was erased, the id and key are kept`);
    return 1;
  }
  if (deleted.status === 404) {
    out(`the hub holds nothing about host ${hostId}: already erased, or it never received a report`);
  } else if (deleted.status >= 200 && deleted.status < 300) {
    let receipt: unknown;
    try {
      receipt = JSON.parse(deleted.body);
    } catch {
      receipt = undefined;
    }
    if (receiptSchema.safeParse(receipt).success) out(`erasure receipt from the hub:\n${JSON.stringify(receipt, null, 2)}`);
    else err(`cep-agent: the hub answered HTTP ${deleted.status} without a readable receipt${detail(deleted)}`);
    // The receipt is the hub's word; its answer for the host afterwards is the proof.
    const check = await request(conn, 'GET', endpoint, key);
    if (check instanceof Error || check.status !== 404) {
      const answer = check instanceof Error ? `could not be checked: ${check.message}` : `answers HTTP ${check.status}, not 404`;
      err(`cep-agent: verification failed: GET ${endpoint.href} ${answer}; the id and key are kept so that erase can be run again`);
      return 1;
    }
    out(`verified: the hub holds nothing about host ${hostId}`);
  } else {
    err(`cep-agent: the hub answered the erasure request with HTTP ${deleted.status}${detail(deleted)}; nothing was reset, try again later`);
    return 1;
  }

  // Everything spooled was built under the old id: sent later, it would re-create the erased host.
  const dropped = await spool.list();
  for (const entry of dropped) await spool.remove(entry.reportId);
  const fresh = await resetIdentity(stateDir);
  out(`dropped ${dropped.length} spooled report(s); new host id ${fresh.hostId} with a new erasure key`);
  return 0;
}
