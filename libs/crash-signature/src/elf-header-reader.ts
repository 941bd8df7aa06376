/** What retracing needs from an ELF file's headers. */
export interface ElfLoadInfo {
  /** ET_EXEC (2) or ET_DYN (3); a `.debug` file keeps its binary's type. */
  type: number;
  /**
   * Lowest PT_LOAD p_vaddr rounded down to its alignment: where the module starts in its own address
   * space. satyr's build_id_offset counts from the module's load start (elfutils' module low address),
   * so the address to look up is offset + this (0x400000 for a classic non-PIE binary, 0 for PIE and .so).
   */
  loadBase: number;
}

const PT_LOAD = 1;

/**
 * Reads the ELF header and program headers from the start of a file (`head` must reach the end of the
 * program header table, a few hundred bytes into any ordinary file). Both classes, both byte orders.
 */
export function readElfLoadInfo(head: Buffer): ElfLoadInfo {
  if (head.length < 52 || head.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  const elfClass = head[4];
  const data = head[5];
  if ((elfClass !== 1 && elfClass !== 2) || (data !== 1 && data !== 2)) throw new Error('unknown ELF class or byte order');
  const is64 = elfClass === 2;
  const le = data === 1;
  const u16 = (at: number) => (le ? head.readUInt16LE(at) : head.readUInt16BE(at));
  const u32 = (at: number) => (le ? head.readUInt32LE(at) : head.readUInt32BE(at));
  const addr = (at: number) => (is64 ? Number(le ? head.readBigUInt64LE(at) : head.readBigUInt64BE(at)) : u32(at));
  if (is64 && head.length < 64) throw new Error('truncated ELF header');

  const type = u16(16);
  const phoff = addr(is64 ? 32 : 28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  // PN_XNUM (more headers than fit the field) never happens for programs and libraries.
  if (phnum === 0xffff) throw new Error('ELF program header count in section 0 is not supported');
  if (phoff + phnum * phentsize > head.length) throw new Error('ELF program headers lie beyond the bytes read');

  let loadBase: number | undefined;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (u32(at) !== PT_LOAD) continue;
    const vaddr = addr(at + (is64 ? 16 : 8));
    const align = addr(at + (is64 ? 48 : 28));
    const start = align > 1 ? vaddr - (vaddr % align) : vaddr;
    if (loadBase === undefined || start < loadBase) loadBase = start;
  }
  if (loadBase === undefined) throw new Error('ELF file has no PT_LOAD segment');
  return { type, loadBase };
}
