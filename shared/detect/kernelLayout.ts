// The layout of the byte kernels' linear memory, read by the host (lineKernel.ts) and by the WebAssembly kernels
// (kernels/, AssemblyScript): plain constants, so both languages compile this one file.
//
//   0–63     per-call results the kernels store besides their return value;
//   64–      the tables the trigger plan fills (see triggerSet.ts), then 64 bytes of scratch;
//   DATA–    per window of output: the raw bytes, their cleaned copy and the lists (see layoutFor in lineKernel.ts).

/** classify's count of bytes that need cleaning (i32). */
export const M_SPECIAL = 0;
/** clean's count of lines it could not clean (i32). */
export const M_FORCED = 4;

export const T_PRE1 = 64;
export const T_PREBITS = T_PRE1 + 256;
export const T_PREBITS8 = T_PREBITS + 8192;
export const T_SUF1 = T_PREBITS8 + 8192;
export const T_SUFBITS = T_SUF1 + 256;
export const T_SUFBITS8 = T_SUFBITS + 8192;
export const T_TEDDY = T_SUFBITS8 + 8192;
export const T_PRINTS = T_TEDDY + 192;
export const SCRATCH = T_PRINTS + 8192;
/** 41792, a multiple of 64. */
export const DATA = SCRATCH + 64;
