// seek-bzip ships no typings; this covers the one call we make (see node_modules/seek-bzip/README.md).
declare module 'seek-bzip' {
  interface BunzipInput {
    readByte(): number;
    read(buffer: Uint8Array, offset: number, length: number): number;
    eof(): boolean;
  }
  interface BunzipOutput {
    writeByte(byte: number): void;
  }
  export function decode(input: BunzipInput, output: BunzipOutput, multistream?: boolean): void;
}
