import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readElfLoadInfo } from './elf-header-reader';

interface Load {
  type: number;
  vaddr: number;
  align: number;
}

/** A minimal ELF file: header and program headers only, in either class and byte order. */
function elf(is64: boolean, le: boolean, type: number, loads: Load[]): Buffer {
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const buf = Buffer.alloc(ehsize + loads.length * phentsize);
  buf.writeUInt32BE(0x7f454c46, 0);
  buf[4] = is64 ? 2 : 1;
  buf[5] = le ? 1 : 2;
  buf[6] = 1;
  const u16 = (v: number, at: number) => (le ? buf.writeUInt16LE(v, at) : buf.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (le ? buf.writeUInt32LE(v, at) : buf.writeUInt32BE(v, at));
  const word = (v: number, at: number) => (is64 ? (le ? buf.writeBigUInt64LE(BigInt(v), at) : buf.writeBigUInt64BE(BigInt(v), at)) : u32(v, at));
  u16(type, 16);
  word(ehsize, is64 ? 32 : 28);
  u16(phentsize, is64 ? 54 : 42);
  u16(loads.length, is64 ? 56 : 44);
  loads.forEach((l, i) => {
    const at = ehsize + i * phentsize;
    u32(l.type, at);
    word(l.vaddr, at + (is64 ? 16 : 8));
    word(l.align, at + (is64 ? 48 : 28));
  });
  return buf;
}

const PT_LOAD = 1;
const PT_PHDR = 6;

describe('readElfLoadInfo', () => {
  it('finds the load start of a non-PIE executable (64-bit little-endian)', () => {
    const head = elf(true, true, 2, [
      { type: PT_PHDR, vaddr: 0x400040, align: 8 },
      { type: PT_LOAD, vaddr: 0x400000, align: 0x1000 },
      { type: PT_LOAD, vaddr: 0x403e10, align: 0x1000 },
    ]);
    expect(readElfLoadInfo(head)).toEqual({ type: 2, loadBase: 0x400000 });
  });

  it('rounds the lowest PT_LOAD down to its alignment, in 32-bit big-endian files too', () => {
    expect(readElfLoadInfo(elf(false, false, 2, [{ type: PT_LOAD, vaddr: 0x10000034, align: 0x10000 }, { type: PT_LOAD, vaddr: 0x08048000, align: 0x1000 }]))).toEqual({
      type: 2,
      loadBase: 0x08048000,
    });
    expect(readElfLoadInfo(elf(false, false, 3, [{ type: PT_LOAD, vaddr: 0x10000034, align: 0x10000 }])).loadBase).toBe(0x10000000);
  });

  it('refuses what is not an ELF file or is cut before its program headers', () => {
    expect(() => readElfLoadInfo(Buffer.from('#!/bin/sh\n'.padEnd(80, ' ')))).toThrow(/not an ELF/);
    const head = elf(true, true, 3, [{ type: PT_LOAD, vaddr: 0, align: 0x1000 }]);
    expect(() => readElfLoadInfo(head.subarray(0, 70))).toThrow(/beyond/);
    expect(() => readElfLoadInfo(elf(true, true, 3, [{ type: PT_PHDR, vaddr: 0, align: 8 }]))).toThrow(/PT_LOAD/);
  });

  it('reads the real debug files of the corpus: PIE and shared objects start at 0, the -no-pie build at 0x400000', () => {
    const tree = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'crash-corpus', 'ext', 'debuginfo', '.build-id');
    const files = readdirSync(tree).flatMap((d) => readdirSync(join(tree, d)).map((f) => join(tree, d, f)));
    expect(files.length).toBeGreaterThan(10);
    const infos = files.map((f) => readElfLoadInfo(readFileSync(f).subarray(0, 4096)));
    expect(new Set(infos.map((i) => `${i.type}:${i.loadBase.toString(16)}`))).toEqual(new Set(['3:0', '2:400000']));
  });
});
