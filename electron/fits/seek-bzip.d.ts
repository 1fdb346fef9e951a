// Types for the parts of seek-bzip (CommonJS, untyped) that ./source.ts uses.
declare module 'seek-bzip' {
  interface ByteSink {
    writeByte(byte: number): void;
  }
  const Bunzip: {
    /** Decode bzip2 `input`; bytes go to `output` (a sink) — several concatenated streams if `multistream`. */
    decode(input: Uint8Array, output: ByteSink, multistream?: boolean): void;
  };
  export default Bunzip;
}
