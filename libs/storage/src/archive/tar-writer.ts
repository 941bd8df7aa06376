import { gzipSync } from 'node:zlib';

const BLOCK = 512;

function header(name: string, size: number, type: '0' | 'x'): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  h.write('00000000000\0', 136, 'latin1');
  h.write(type, 156, 'latin1');
  h.write('ustar\0' + '00', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** A pax record "<len> path=<name>\n", whose length counts its own digits. */
function paxPath(name: string): Buffer {
  const body = ` path=${name}\n`;
  let len = Buffer.byteLength(body);
  while (String(len + String(len).length).length !== String(len).length) len++;
  len += String(len).length;
  return Buffer.from(`${len}${body}`);
}

/**
 * The kept entries of an upload as a .tar.gz in entry order, so what is stored raw is read by
 * processing exactly as an upload without the skipped entries would be. Long names go in pax records.
 */
export function packTarGz(entries: Map<string, Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, body] of entries) {
    if (Buffer.byteLength(name) > 99) {
      const pax = paxPath(name);
      parts.push(header('PaxHeader', pax.length, 'x'), pax, padding(pax.length));
    }
    parts.push(header(name, body.length, '0'), body, padding(body.length));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return gzipSync(Buffer.concat(parts));
}
