// seek-bzip ships no typings; this covers what we use (see node_modules/seek-bzip/lib/index.js).
declare module 'seek-bzip' {
  interface BunzipInput {
    readByte(): number;
    read(buffer: Uint8Array, offset: number, length: number): number;
    eof(): boolean;
  }
  interface BunzipOutput {
    writeByte(byte: number): void;
  }
  /** The decoder's block-level steps, which its own `decode()` loops over. */
  interface BunzipDecoder {
    _init_block(): boolean;
    _read_bunzip(): void;
    _start_bunzip(input: BunzipInput, output: BunzipOutput): void;
    reader: { read(bits: number): number };
    streamCRC: number;
  }
  interface BunzipConstructor {
    new (input: BunzipInput, output: BunzipOutput): BunzipDecoder;
    decode(input: BunzipInput, output: BunzipOutput, multistream?: boolean): void;
  }
  const Bunzip: BunzipConstructor;
  export = Bunzip;
}
