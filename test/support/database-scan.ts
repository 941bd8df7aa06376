import { execFile } from 'node:child_process';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import Redis from 'ioredis';
import { Client } from 'pg';
import { detectCompression } from '../../libs/storage/src/archive/archive-format';
import { decompress } from '../../libs/storage/src/archive/decompress';

const run = promisify(execFile);

/** Everything a database holds, as pg_dump writes it (COPY data as text; bytea as hex). */
export async function dumpDatabase(url: string): Promise<string> {
  const { stdout } = await run('pg_dump', ['--data-only', '--no-owner', '--no-privileges', '--dbname', url], { maxBuffer: 512 * 1024 * 1024 });
  return stdout;
}

async function inflate(bytes: Buffer): Promise<Buffer> {
  const kind = detectCompression(bytes);
  if (!kind) return bytes;
  if (kind === 'gzip') return gunzipSync(bytes);
  const chunks: Buffer[] = [];
  for await (const chunk of decompress(kind, bytes, 1 << 30)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Every bytea value of every table, decompressed when it is gzip/xz/bzip2 (raw reports are gzip'd
 * JSON or compressed tarballs, whose text a hex dump hides).
 */
export async function byteaContents(url: string): Promise<Array<{ table: string; column: string; text: string }>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: columns } = await client.query<{ table: string; column: string }>(
      `SELECT table_name AS table, column_name AS column FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type = 'bytea'`,
    );
    const out: Array<{ table: string; column: string; text: string }> = [];
    for (const { table, column } of columns) {
      const { rows } = await client.query<{ v: Buffer | null }>(`SELECT "${column}" AS v FROM "${table}"`);
      for (const { v } of rows) if (v) out.push({ table, column, text: (await inflate(v)).toString('latin1') });
    }
    return out;
  } finally {
    await client.end();
  }
}

/** Every key under `prefix:` and its value, whatever the Redis type, as one text. */
export async function redisText(redisUrl: string, prefix: string): Promise<{ keys: number; text: string }> {
  const redis = new Redis(redisUrl);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    const parts: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string' ? await redis.get(key)
        : type === 'hash' ? await redis.hgetall(key)
        : type === 'list' ? await redis.lrange(key, 0, -1)
        : type === 'set' ? await redis.smembers(key)
        : type === 'zset' ? await redis.zrange(key, 0, -1, 'WITHSCORES')
        : type === 'stream' ? await redis.xrange(key, '-', '+')
        : `<${type}>`;
      parts.push(`${key}\t${JSON.stringify(value)}`);
    }
    return { keys: keys.length, text: parts.join('\n') };
  } finally {
    redis.disconnect();
  }
}

/**
 * The textual forms an address can take: IPv4 dotted and IPv4-mapped IPv6 (dotted and hex);
 * IPv6 compressed, uncompressed and zero-padded. All lower case.
 */
export function addressForms(ip: string): string[] {
  if (isIP(ip) === 4) {
    const [a, b, c, d] = ip.split('.').map(Number);
    const hex = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
    return [ip, `::ffff:${ip}`, `::ffff:${hex(a, b)}:${hex(c, d)}`];
  }
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right].map((g) => g.replace(/^0+(?=.)/, ''));
  return [...new Set([ip.toLowerCase(), groups.join(':'), groups.map((g) => g.padStart(4, '0')).join(':')])];
}

/** Which of `needles` occur in `text` (case-insensitive). */
export function occurrences(text: string, needles: string[]): string[] {
  const lower = text.toLowerCase();
  return needles.filter((n) => lower.includes(n.toLowerCase()));
}
