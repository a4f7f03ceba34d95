// Byte kernels of the scanner: the passes over every byte of the output, in WebAssembly (SIMD, 16 bytes a step,
// assembled below) with a plain JavaScript twin that computes exactly the same (used where WebAssembly is missing,
// and in tests to check the two agree).
//
//   classify   the newlines of a text, and the bytes that make a line need cleaning first (a control character,
//              ESC, CR, 0x7f or 0x9b);
//   dispatch   per line: whether its first or last bytes (three or eight, hashed) may start or end a line-anchored
//              trigger literal, whether it needs cleaning (a byte from classify in it), whether it is long;
//   clean      a copy of the text with the lines that need it cleaned as cleanLine would (see cleanBytes.ts);
//   teddy      the places where one of the other trigger literals may be, by four of its bytes (the "Teddy"
//              fingerprint filter: each byte looked up by its two nibbles in 16-entry tables of bucket bits, then
//              a hash of the four bytes checked against the fingerprints').
//
// All of them read one linear memory: fixed tables (loaded from the trigger plan) and, per window of output, the raw
// bytes, their cleaned copy and the output lists. Positions in the lists are relative to the text passed in.

import { cleanLineBytes } from './cleanBytes';

/** Tables the trigger plan fills; see triggerSet.ts for their meaning. */
export interface KernelTables {
  /**
   * Per first byte of a line: 0 nothing, 1 always a candidate, 2 when the hash3 bit of its first three bytes is set
   * in preBits, 3 when the hash8 bit of its first eight is set in preBits8.
   */
  pre1: Uint8Array; // 256
  preBits: Uint8Array; // 8192
  preBits8: Uint8Array; // 8192
  /** The same for the last byte of a line, and its last three or eight bytes. */
  suf1: Uint8Array; // 256
  sufBits: Uint8Array; // 8192
  sufBits8: Uint8Array; // 8192
  /**
   * Teddy: for fingerprint bytes 0–3 a low-nibble and a high-nibble table of 16 bucket-bit bytes (128 bytes), then
   * one byte: the buckets whose fingerprints are shorter than four bytes.
   */
  teddy: Uint8Array;
  /** Bit per hash4 of a four-byte fingerprint: a candidate in the other buckets must have its bit. */
  prints: Uint8Array; // 8192
}

/** The hash of three bytes the dispatch tables are keyed by (16 bits). */
export const hash3 = (a: number, b: number, c: number) => a ^ (b << 4) ^ (c << 8);

/** The hash of eight bytes (two little-endian u32) the dispatch tables are keyed by (16 bits). */
export const hash8 = (lo: number, hi: number) => Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 16;

/** The hash of four bytes (little-endian u32) the fingerprint bitmap is keyed by (16 bits). */
export const hash4 = (x: number) => Math.imul(x, 0x9e3779b1) >>> 16;

const T_PRE1 = 64;
const T_PREBITS = T_PRE1 + 256;
const T_PREBITS8 = T_PREBITS + 8192;
const T_SUF1 = T_PREBITS8 + 8192;
const T_SUFBITS = T_SUF1 + 256;
const T_SUFBITS8 = T_SUFBITS + 8192;
const T_TEDDY = T_SUFBITS8 + 8192;
const T_PRINTS = T_TEDDY + 192;
const SCRATCH = T_PRINTS + 8192;
const DATA = SCRATCH + 64; // 41728, a multiple of 64
const PAD = 64;

/** Where a window's data lives for a given capacity (bytes per window). */
export interface Layout {
  capacity: number;
  raw: number;
  clean: number;
  nlRaw: number;
  nlClean: number;
  special: number;
  out: number;
  end: number;
}

function layoutFor(bytes: number): Layout {
  // Whole 64-byte units, so every area stays aligned for 32-bit access.
  const capacity = Math.ceil(bytes / 64) * 64;
  const raw = DATA;
  const clean = raw + capacity + PAD;
  const nlRaw = clean + capacity + PAD;
  const nlClean = nlRaw + 4 * capacity;
  const special = nlClean + 4 * capacity;
  const out = special + 4 * capacity;
  return { capacity, raw, clean, nlRaw, nlClean, special, out, end: out + 4 * capacity };
}

export interface Kernel {
  readonly kind: 'wasm' | 'js';
  mem: Uint8Array;
  i32: Int32Array;
  layout: Layout;
  /** The tables currently loaded (by identity). */
  loaded: KernelTables | undefined;
  ensure(capacity: number): void;
  load(tables: KernelTables): void;
  /** Offsets of the newlines into `nlOut` and of bytes that need cleaning into `spOut`; returns [newlines, those]. */
  classify(text: number, len: number, nlOut: number, spOut: number): [number, number];
  /**
   * Lines (index | flags << 28) into `out`, flags: 1 its first bytes may start a line-start literal, 2 its last bytes
   * may end a line-end literal, 4 it needs cleaning (a byte listed at `sp` lies in it), 8 it is longer than
   * `longLine`. Returns how many.
   */
  dispatch(nl: number, count: number, text: number, out: number, sp: number, spCount: number, longLine: number): number;
  /**
   * Offsets where a Teddy fingerprint may be (offset | bucket bits << 24; the last may lie up to 15 bytes past the
   * text), into `out`; returns how many.
   */
  teddy(text: number, len: number, out: number): number;
  /**
   * Copies the raw window into the clean area with the lines that need it (the `n` dispatch entries at `out` flagged
   * 4) cleaned as cleanLine would (see cleanBytes.ts), and the clean newline offsets into nlClean; such an entry
   * gets the flags 1 and 2 of its cleaned line. Lines it cannot clean (longer than `longLine`, or with U+009B)
   * are left empty, get no flags, and are listed at the special area. Returns [clean length, lines listed].
   */
  clean(n: number, count: number, len: number, longLine: number): [number, number];
}

// ---- WebAssembly ----------------------------------------------------------------------------------------------

const I32 = 0x7f;
const V128 = 0x7b;
const VOID = 0x40;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

// Instructions, as byte arrays.
const get = (x: number) => [0x20, ...uleb(x)];
const set = (x: number) => [0x21, ...uleb(x)];
const tee = (x: number) => [0x22, ...uleb(x)];
const i32c = (n: number) => [0x41, ...sleb(n)];
const load32 = [0x28, 2, 0];
const load8 = (offset = 0) => [0x2d, 0, ...uleb(offset)];
const store32 = [0x36, 2, 0];
const [add, sub, and, or, xor, shl, shrU] = [[0x6a], [0x6b], [0x71], [0x72], [0x73], [0x74], [0x76]];
const [eqz, eq, ne, ltU, gtU, leU, geU, ctz] = [[0x45], [0x46], [0x47], [0x49], [0x4b], [0x4d], [0x4f], [0x68]];
const store8 = [0x3a, 0, 0];
const select = [0x1b];
const memoryCopy = [0xfc, 10, 0, 0];
const block = [0x02, VOID];
const loop = [0x03, VOID];
const ifv = [0x04, VOID];
const ifI32 = [0x04, I32];
const elsev = [0x05];
const end = [0x0b];
const br = (l: number) => [0x0c, ...uleb(l)];
const brIf = (l: number) => [0x0d, ...uleb(l)];
const simd = (op: number) => [0xfd, ...uleb(op)];
const v128Load = [...simd(0), 0, 0];
const v128LoadAt = (offset: number) => [...simd(0), 0, ...uleb(offset)];
const v128Store = [...simd(11), 0, 0];
const swizzle = simd(14);
const i16ShrU = simd(141);
const load32u = [0x28, 0, 0];
const load32At = (offset: number) => [0x28, 0, ...uleb(offset)];
const mul = [0x6c];
const splat8 = (byte: number) => [...simd(12), ...new Array<number>(16).fill(byte)];
const [i8Eq, i8LtU, vAnd, vOr, i8Bitmask] = [simd(35), simd(38), simd(78), simd(80), simd(100)];

/** out[n++] = value: `pushValue` leaves the value on the stack. */
const push = (outLocal: number, nLocal: number, pushValue: number[]) => [
  ...get(outLocal),
  ...get(nLocal),
  ...i32c(2),
  ...shl,
  ...add,
  ...pushValue,
  ...store32,
  ...get(nLocal),
  ...i32c(1),
  ...add,
  ...set(nLocal),
];

function classifyBody(): { params: number; locals: Array<[number, number]>; body: number[] } {
  // params: text 0, len 1, nlOut 2, spOut 3; locals: p 4, stop 5, k 6, spc 7, nlm 8, spm 9, v 10
  const [text, len, nlOut, spOut, p, stop, k, spc, nlm, spm, v] = Array.from({ length: 11 }, (_, i) => i);
  /** Stores the offset of each set bit of local x (lowest first) at out[n++], clearing x. */
  const offsets = (x: number, out: number, n: number) => [
    ...block,
    ...loop,
    ...get(x),
    ...eqz,
    ...brIf(1),
    ...push(out, n, [...get(p), ...get(x), ...ctz, ...add, ...get(text), ...sub]),
    ...get(x),
    ...get(x),
    ...i32c(1),
    ...sub,
    ...and,
    ...set(x),
    ...br(0),
    ...end,
    ...end,
  ];
  return {
    params: 4,
    locals: [
      [6, I32],
      [1, V128],
    ],
    body: [
      ...get(text),
      ...set(p),
      ...get(text),
      ...get(len),
      ...add,
      ...set(stop),
      ...block,
      ...loop,
      ...get(p),
      ...get(stop),
      ...geU,
      ...brIf(1),
      ...get(p),
      ...v128Load,
      ...tee(v),
      ...splat8(10),
      ...i8Eq,
      ...i8Bitmask,
      ...set(nlm),
      // Bytes below 0x20 (tab and newline among them), 0x7f and 0x9b, without the newlines…
      ...get(v),
      ...splat8(0x20),
      ...i8LtU,
      ...get(v),
      ...splat8(0x7f),
      ...i8Eq,
      ...vOr,
      ...get(v),
      ...splat8(0x9b),
      ...i8Eq,
      ...vOr,
      ...i8Bitmask,
      ...get(nlm),
      ...xor,
      ...tee(spm),
      ...ifv,
      // … and without the tabs.
      ...get(spm),
      ...get(v),
      ...splat8(9),
      ...i8Eq,
      ...i8Bitmask,
      ...i32c(-1),
      ...xor,
      ...and,
      ...set(spm),
      ...offsets(spm, spOut, spc),
      ...end,
      ...offsets(nlm, nlOut, k),
      ...get(p),
      ...i32c(16),
      ...add,
      ...set(p),
      ...br(0),
      ...end,
      ...end,
      // meta[0] = special bytes
      ...i32c(0),
      ...get(spc),
      ...store32,
      ...get(k),
    ],
  };
}

/**
 * 1 when table `one` says so for the byte at `at`: always (1), or when the hash3 of the bytes at `base3` (2) or the
 * hash8 of those at `base8` (3) has its bit. Locals t and h are scratch; len3 and len8 say the line is long enough.
 */
const tableHit = (
  t: number,
  h: number,
  len3: number,
  len8: number,
  oneAt: number,
  at: number[],
  base3: number[],
  base8: number[],
) => [
  ...i32c(oneAt),
  ...at,
  ...load8(),
  ...add,
  ...load8(),
  ...tee(t),
  ...i32c(1),
  ...eq,
  ...base3,
  ...tee(h),
  ...load8(0),
  ...get(h),
  ...load8(1),
  ...i32c(4),
  ...shl,
  ...xor,
  ...get(h),
  ...load8(2),
  ...i32c(8),
  ...shl,
  ...xor,
  ...set(h),
  ...i32c(oneAt + 256),
  ...get(h),
  ...i32c(3),
  ...shrU,
  ...add,
  ...load8(),
  ...get(h),
  ...i32c(7),
  ...and,
  ...shrU,
  ...get(t),
  ...i32c(2),
  ...eq,
  ...and,
  ...get(len3),
  ...and,
  ...or,
  ...base8,
  ...tee(h),
  ...load32u,
  ...get(h),
  ...load32At(4),
  ...i32c(0x85ebca6b | 0),
  ...mul,
  ...xor,
  ...i32c(0x9e3779b1 | 0),
  ...mul,
  ...i32c(16),
  ...shrU,
  ...set(h),
  ...i32c(oneAt + 256 + 8192),
  ...get(h),
  ...i32c(3),
  ...shrU,
  ...add,
  ...load8(),
  ...get(h),
  ...i32c(7),
  ...and,
  ...shrU,
  ...get(t),
  ...i32c(3),
  ...eq,
  ...and,
  ...get(len8),
  ...and,
  ...or,
];

/** pre | suf << 1 for the line [s, e) (locals holding absolute addresses); t, h, len3, len8 are scratch locals. */
const lineFlags = (s: number, e: number, t: number, h: number, len3: number, len8: number) => [
  ...get(e),
  ...get(s),
  ...sub,
  ...i32c(3),
  ...geU,
  ...set(len3),
  ...get(e),
  ...get(s),
  ...sub,
  ...i32c(8),
  ...geU,
  ...set(len8),
  ...tableHit(t, h, len3, len8, T_PRE1, get(s), get(s), get(s)),
  ...tableHit(
    t,
    h,
    len3,
    len8,
    T_SUF1,
    [...get(e), ...i32c(1), ...sub],
    [...get(e), ...i32c(3), ...sub],
    [...get(e), ...i32c(8), ...sub],
  ),
  ...i32c(1),
  ...shl,
  ...or,
];

function dispatchBody(): { params: number; locals: Array<[number, number]>; body: number[] } {
  // params: nl 0, count 1, text 2, out 3, sp 4, spCount 5, longLine 6;
  // locals: n 7, i 8, s 9, e 10, len3 11, hit 12, t 13, h 14, j 15, next 16, len8 17
  const [nl, count, text, out, sp, spCount, longLine, n, i, s, e, len3, hit, t, h, j, next, len8] = Array.from(
    { length: 18 },
    (_, x) => x,
  );
  /** next = text + sp[j], or past everything. */
  const loadNext = [
    ...get(j),
    ...get(spCount),
    ...ltU,
    ...ifv,
    ...get(text),
    ...get(sp),
    ...get(j),
    ...i32c(2),
    ...shl,
    ...add,
    ...load32,
    ...add,
    ...set(next),
    ...elsev,
    ...i32c(-1),
    ...set(next),
    ...end,
  ];
  return {
    params: 7,
    locals: [[11, I32]],
    body: [
      ...get(text),
      ...set(s),
      ...loadNext,
      ...block,
      ...loop,
      ...get(i),
      ...get(count),
      ...geU,
      ...brIf(1),
      ...get(text),
      ...get(nl),
      ...get(i),
      ...i32c(2),
      ...shl,
      ...add,
      ...load32,
      ...add,
      ...set(e),
      // A line-start or line-end literal may be here (the bytes read past a short line only add candidates).
      ...lineFlags(s, e, t, h, len3, len8),
      // 4: needs cleaning (a special byte before its end); 8: long.
      ...get(next),
      ...get(e),
      ...ltU,
      ...i32c(2),
      ...shl,
      ...or,
      ...get(e),
      ...get(s),
      ...sub,
      ...get(longLine),
      ...gtU,
      ...i32c(3),
      ...shl,
      ...or,
      ...set(hit),
      ...block,
      ...loop,
      ...get(next),
      ...get(e),
      ...geU,
      ...brIf(1),
      ...get(j),
      ...i32c(1),
      ...add,
      ...set(j),
      ...loadNext,
      ...br(0),
      ...end,
      ...end,
      // out[n] = i | hit << 28; n += hit != 0
      ...get(out),
      ...get(n),
      ...i32c(2),
      ...shl,
      ...add,
      ...get(i),
      ...get(hit),
      ...i32c(28),
      ...shl,
      ...or,
      ...store32,
      ...get(n),
      ...get(hit),
      ...i32c(0),
      ...ne,
      ...add,
      ...set(n),
      ...get(e),
      ...i32c(1),
      ...add,
      ...set(s),
      ...get(i),
      ...i32c(1),
      ...add,
      ...set(i),
      ...br(0),
      ...end,
      ...end,
      ...get(n),
    ],
  };
}

function teddyBody(): { params: number; locals: Array<[number, number]>; body: number[] } {
  // params: text 0, len 1, out 2; locals: n 3, p 4, stop 5, mask 6, b 7, bits 8, short 9, h 10;
  // v128: lo0..hi3 11–18, nib 19, a 20, r 21
  const [text, len, out, n, p, stop, mask, b, bits, short, h] = Array.from({ length: 11 }, (_, x) => x);
  const [nib, a, r] = [19, 20, 21];
  const table = (j: number) => 11 + j;
  /** The bucket bits the byte at p + j may belong to, by its nibbles. */
  const lookup = (j: number) => [
    ...get(p),
    ...v128LoadAt(j),
    ...set(a),
    ...get(table(2 * j)),
    ...get(a),
    ...get(nib),
    ...vAnd,
    ...swizzle,
    ...get(table(2 * j + 1)),
    ...get(a),
    ...i32c(4),
    ...i16ShrU,
    ...get(nib),
    ...vAnd,
    ...swizzle,
    ...vAnd,
  ];
  return {
    params: 3,
    locals: [
      [8, I32],
      [11, V128],
    ],
    body: [
      ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap((j) => [...i32c(T_TEDDY + 16 * j), ...v128LoadAt(0), ...set(table(j))]),
      ...i32c(T_TEDDY + 128),
      ...load8(),
      ...set(short),
      ...splat8(0x0f),
      ...set(nib),
      ...get(text),
      ...set(p),
      ...get(text),
      ...get(len),
      ...add,
      ...set(stop),
      ...block,
      ...loop,
      ...get(p),
      ...get(stop),
      ...geU,
      ...brIf(1),
      ...lookup(0),
      ...lookup(1),
      ...vAnd,
      ...lookup(2),
      ...vAnd,
      ...lookup(3),
      ...vAnd,
      ...tee(r),
      ...splat8(0),
      ...i8Eq,
      ...i8Bitmask,
      ...i32c(0xffff),
      ...xor,
      ...tee(mask),
      ...ifv,
      ...i32c(SCRATCH),
      ...get(r),
      ...v128Store,
      ...block,
      ...loop,
      ...get(mask),
      ...eqz,
      ...brIf(1),
      ...get(mask),
      ...ctz,
      ...set(b),
      ...i32c(SCRATCH),
      ...get(b),
      ...add,
      ...load8(),
      ...set(bits),
      // Keep it if a short-fingerprint bucket is among them, or the four bytes hash to a fingerprint's bit.
      ...get(bits),
      ...get(short),
      ...and,
      ...ifv,
      ...i32c(1),
      ...set(h),
      ...elsev,
      ...get(p),
      ...get(b),
      ...add,
      ...load32u,
      ...i32c(0x9e3779b1 | 0),
      ...mul,
      ...i32c(16),
      ...shrU,
      ...set(h),
      ...i32c(T_PRINTS),
      ...get(h),
      ...i32c(3),
      ...shrU,
      ...add,
      ...load8(),
      ...get(h),
      ...i32c(7),
      ...and,
      ...shrU,
      ...i32c(1),
      ...and,
      ...set(h),
      ...end,
      ...get(h),
      ...ifv,
      ...push(out, n, [...get(p), ...get(b), ...add, ...get(text), ...sub, ...get(bits), ...i32c(24), ...shl, ...or]),
      ...end,
      ...get(mask),
      ...get(mask),
      ...i32c(1),
      ...sub,
      ...and,
      ...set(mask),
      ...br(0),
      ...end,
      ...end,
      ...end,
      ...get(p),
      ...i32c(16),
      ...add,
      ...set(p),
      ...br(0),
      ...end,
      ...end,
      ...get(n),
    ],
  };
}

// Structured control flow for the longer function below.
const whileDo = (cond: number[], body: number[]) => [
  ...block,
  ...loop,
  ...cond,
  ...eqz,
  ...brIf(1),
  ...body,
  ...br(0),
  ...end,
  ...end,
];
const ifThen = (cond: number[], then: number[]) => [...cond, ...ifv, ...then, ...end];
const ifElse = (cond: number[], then: number[], otherwise: number[]) => [
  ...cond,
  ...ifv,
  ...then,
  ...elsev,
  ...otherwise,
  ...end,
];
/** x += by (by: a constant). */
const bump = (x: number, by = 1) => [...get(x), ...i32c(by), ...add, ...set(x)];
/** (value - from) <=u (to - from): value in [from, to]. */
const inRange = (value: number[], from: number, to: number) => [
  ...value,
  ...i32c(from),
  ...sub,
  ...i32c(to - from),
  ...leU,
];

function cleanBody(): { params: number; locals: Array<[number, number]>; body: number[] } {
  // params: raw 0, clean 1, nlRaw 2, nlClean 3, out 4, n 5, count 6, len 7, longLine 8, forced 9
  // locals: j 10, entry 11, line 12, s 13, e 14, from 15, to 16, next 17, shift 18, i 19, c 20, nb 21, k 22, w 23,
  //         bad 24, fc 25, osc 26, w0 27, t 28, h 29, len3 30, len8 31
  const [raw, clean, nlRaw, nlClean, out, n, count, len, longLine, forced] = Array.from({ length: 10 }, (_, x) => x);
  const [j, entry, line, s, e, from, to, next, shift, i, c, nb, k, w, bad, fc, osc, w0, t, h, len3, len8] = Array.from(
    { length: 22 },
    (_, x) => 10 + x,
  );
  const at4 = (base: number, index: number[]) => [...get(base), ...index, ...i32c(2), ...shl, ...add];
  /** Copies raw[from, until) to `to`, gives the lines before `upto` their clean newline offsets. */
  const copyRun = (until: number[], upto: number[]) => [
    ...get(to),
    ...get(raw),
    ...get(from),
    ...add,
    ...until,
    ...get(from),
    ...sub,
    ...memoryCopy,
    ...get(to),
    ...get(clean),
    ...sub,
    ...get(from),
    ...sub,
    ...set(shift),
    ...whileDo(
      [...get(next), ...upto, ...ltU],
      [
        ...at4(nlClean, get(next)),
        ...at4(nlRaw, get(next)),
        ...load32,
        ...get(shift),
        ...add,
        ...store32,
        ...bump(next),
      ],
    ),
    ...get(to),
    ...until,
    ...get(from),
    ...sub,
    ...add,
    ...set(to),
  ];
  const byteAt = (x: number, offset = 0) => [...get(x), ...load8(offset)];
  /** cleanLine over raw bytes [s, e) (absolute) written at w; bad = 1 for a line with U+009B (C2 9B). */
  const cleanLine = [
    // The text after the last carriage return (a final one dropped).
    ...ifThen(
      [...get(e), ...get(s), ...gtU, ...get(e), ...i32c(1), ...sub, ...load8(), ...i32c(13), ...eq, ...and],
      [...get(e), ...i32c(1), ...sub, ...set(e)],
    ),
    ...get(e),
    ...set(k),
    ...whileDo(
      [...get(k), ...get(s), ...gtU],
      [
        ...bump(k, -1),
        ...ifThen([...byteAt(k), ...i32c(13), ...eq], [...get(k), ...i32c(1), ...add, ...tee(s), ...set(k)]),
      ],
    ),
    ...get(s),
    ...set(i),
    ...whileDo(
      [...get(i), ...get(e), ...ltU],
      [
        ...byteAt(i),
        ...set(c),
        ...ifElse(
          [...get(c), ...i32c(0x1b), ...eq],
          [
            // nb: the byte after ESC, or 256 at the end of the line
            ...byteAt(i, 1),
            ...i32c(256),
            ...get(i),
            ...i32c(1),
            ...add,
            ...get(e),
            ...ltU,
            ...select,
            ...set(nb),
            ...ifElse(
              [...get(nb), ...i32c(0x5b), ...eq],
              [
                // CSI: parameters 0x30–0x3f, intermediates 0x20–0x2f, a final 0x40–0x7e; else only the ESC goes.
                ...get(i),
                ...i32c(2),
                ...add,
                ...set(k),
                ...whileDo([...get(k), ...get(e), ...ltU, ...inRange(byteAt(k), 0x30, 0x3f), ...and], bump(k)),
                ...whileDo([...get(k), ...get(e), ...ltU, ...inRange(byteAt(k), 0x20, 0x2f), ...and], bump(k)),
                ...get(k),
                ...i32c(1),
                ...add,
                ...get(i),
                ...i32c(1),
                ...add,
                ...get(k),
                ...get(e),
                ...ltU,
                ...inRange(byteAt(k), 0x40, 0x7e),
                ...and,
                ...select,
                ...set(i),
              ],
              ifElse(
                [
                  ...get(nb),
                  ...i32c(0x5d),
                  ...eq,
                  ...tee(osc),
                  ...get(nb),
                  ...i32c(0x50),
                  ...eq,
                  ...or,
                  ...get(nb),
                  ...i32c(0x58),
                  ...eq,
                  ...or,
                  ...get(nb),
                  ...i32c(0x5e),
                  ...eq,
                  ...or,
                  ...get(nb),
                  ...i32c(0x5f),
                  ...eq,
                  ...or,
                ],
                [
                  // OSC up to BEL or ESC \; DCS, SOS, PM, APC up to ESC \ (or the end of the line).
                  ...get(i),
                  ...i32c(2),
                  ...add,
                  ...set(k),
                  ...whileDo(
                    [
                      ...get(k),
                      ...get(e),
                      ...ltU,
                      ...byteAt(k),
                      ...i32c(0x1b),
                      ...ne,
                      ...and,
                      ...get(osc),
                      ...byteAt(k),
                      ...i32c(7),
                      ...eq,
                      ...and,
                      ...eqz,
                      ...and,
                    ],
                    bump(k),
                  ),
                  ...ifElse(
                    [...get(osc), ...get(k), ...get(e), ...ltU, ...and, ...byteAt(k), ...i32c(7), ...eq, ...and],
                    bump(k),
                    ifThen(
                      [
                        ...get(k),
                        ...i32c(1),
                        ...add,
                        ...get(e),
                        ...ltU,
                        ...byteAt(k),
                        ...i32c(0x1b),
                        ...eq,
                        ...and,
                        ...byteAt(k, 1),
                        ...i32c(0x5c),
                        ...eq,
                        ...and,
                      ],
                      bump(k, 2),
                    ),
                  ),
                  ...get(k),
                  ...set(i),
                ],
                // ESC and one byte of @–Z or \–_; else only the ESC goes.
                [
                  ...get(i),
                  ...i32c(2),
                  ...i32c(1),
                  ...inRange(get(nb), 0x40, 0x5a),
                  ...inRange(get(nb), 0x5c, 0x5f),
                  ...or,
                  ...select,
                  ...add,
                  ...set(i),
                ],
              ),
            ),
          ],
          ifElse(
            // U+009B (C2 9B, a C1 escape once decoded): only the decoded line tells what it strips.
            [
              ...get(c),
              ...i32c(0x9b),
              ...eq,
              ...get(i),
              ...get(s),
              ...gtU,
              ...and,
              ...get(i),
              ...i32c(1),
              ...sub,
              ...load8(),
              ...i32c(0xc2),
              ...eq,
              ...and,
            ],
            [...i32c(1), ...set(bad), ...get(e), ...set(i)],
            ifElse(
              [
                ...get(c),
                ...i32c(0x20),
                ...ltU,
                ...get(c),
                ...i32c(9),
                ...ne,
                ...and,
                ...get(c),
                ...i32c(0x7f),
                ...eq,
                ...or,
              ],
              bump(i),
              [...get(w), ...get(c), ...store8, ...bump(w), ...bump(i)],
            ),
          ),
        ),
      ],
    ),
  ];
  return {
    params: 10,
    locals: [[22, I32]],
    body: [
      ...get(clean),
      ...set(to),
      ...whileDo(
        [...get(j), ...get(n), ...ltU],
        [
          ...at4(out, get(j)),
          ...load32,
          ...tee(entry),
          ...i32c(4 << 28),
          ...and,
          ...ifv,
          ...get(entry),
          ...i32c(0x0fffffff),
          ...and,
          ...set(line),
          ...ifElse(
            [...get(line)],
            [...at4(nlRaw, [...get(line), ...i32c(1), ...sub]), ...load32, ...i32c(1), ...add, ...set(s)],
            [...i32c(0), ...set(s)],
          ),
          ...at4(nlRaw, get(line)),
          ...load32,
          ...set(e),
          ...copyRun(get(s), get(line)),
          // s, e absolute from here
          ...get(raw),
          ...get(s),
          ...add,
          ...set(s),
          ...get(raw),
          ...get(e),
          ...add,
          ...set(e),
          ...get(to),
          ...set(w),
          ...i32c(0),
          ...set(bad),
          ...ifElse([...get(e), ...get(s), ...sub, ...get(longLine), ...gtU], [...i32c(1), ...set(bad)], cleanLine),
          ...get(to),
          ...set(w0),
          // Its entry: whether its cleaned start or end may hold a literal (none for one it could not clean).
          ...at4(out, get(j)),
          ...get(line),
          ...get(bad),
          ...ifI32,
          ...[...at4(forced, get(fc)), ...get(line), ...store32, ...bump(fc), ...i32c(0)],
          ...elsev,
          ...[...get(w), ...set(to), ...lineFlags(w0, to, t, h, len3, len8)],
          ...end,
          ...i32c(28),
          ...shl,
          ...or,
          ...store32,
          ...at4(nlClean, get(line)),
          ...get(to),
          ...get(clean),
          ...sub,
          ...store32,
          ...get(to),
          ...i32c(10),
          ...store8,
          ...bump(to),
          // e was made absolute (and may have lost a final CR): the next run starts after the raw newline.
          ...at4(nlRaw, get(line)),
          ...load32,
          ...i32c(1),
          ...add,
          ...set(from),
          ...get(line),
          ...i32c(1),
          ...add,
          ...set(next),
          ...end,
          ...bump(j),
        ],
      ),
      ...copyRun(get(len), get(count)),
      ...i32c(4),
      ...get(fc),
      ...store32,
      ...get(to),
      ...get(clean),
      ...sub,
    ],
  };
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

const name = (s: string) => [...uleb(s.length), ...Buffer.from(s, 'utf8')];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const fns = [
    { name: 'classify', ...classifyBody() },
    { name: 'dispatch', ...dispatchBody() },
    { name: 'teddy', ...teddyBody() },
    { name: 'clean', ...cleanBody() },
  ];
  const types = vec(fns.map((f) => [0x60, ...vec(new Array(f.params).fill([I32])), ...vec([[I32]])]));
  const imports = vec([[...name('k'), ...name('m'), 0x02, 0x00, ...uleb(1)]]);
  const funcs = vec(fns.map((_, i) => uleb(i)));
  const exports = vec(fns.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]));
  const code = vec(
    fns.map((f) => {
      const body = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body, ...end];
      return [...uleb(body.length), ...body];
    }),
  );
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(7, exports),
    ...section(10, code),
  ]);
}

let compiled: WebAssembly.Module | null | undefined;

function wasmModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = moduleBytes();
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

const PAGE = 65536;

abstract class BaseKernel {
  abstract readonly kind: 'wasm' | 'js';
  mem!: Uint8Array;
  i32!: Int32Array;
  layout: Layout = layoutFor(0);
  loaded: KernelTables | undefined;

  protected abstract grow(bytes: number): void;

  ensure(capacity: number): void {
    if (capacity <= this.layout.capacity) return;
    // Grow in steps so a slowly growing window does not grow memory each time.
    const next = layoutFor(Math.max(capacity, Math.min(this.layout.capacity * 2, 1 << 20), 64 << 10));
    this.grow(next.end + PAD);
    this.layout = next;
  }

  load(tables: KernelTables): void {
    if (this.loaded === tables) return;
    this.mem.set(tables.pre1, T_PRE1);
    this.mem.set(tables.preBits, T_PREBITS);
    this.mem.set(tables.preBits8, T_PREBITS8);
    this.mem.set(tables.suf1, T_SUF1);
    this.mem.set(tables.sufBits, T_SUFBITS);
    this.mem.set(tables.sufBits8, T_SUFBITS8);
    this.mem.set(tables.teddy, T_TEDDY);
    this.mem.set(tables.prints, T_PRINTS);
    this.loaded = tables;
  }
}

interface WasmExports {
  classify(text: number, len: number, nlOut: number, spOut: number): number;
  dispatch(nl: number, count: number, text: number, out: number, sp: number, spCount: number, longLine: number): number;
  teddy(text: number, len: number, out: number): number;
  clean(
    raw: number,
    clean: number,
    nlRaw: number,
    nlClean: number,
    out: number,
    n: number,
    count: number,
    len: number,
    longLine: number,
    forced: number,
  ): number;
}

class WasmKernel extends BaseKernel {
  readonly kind = 'wasm';
  private readonly memory: WebAssembly.Memory;
  private readonly fns: WasmExports;

  constructor(module: WebAssembly.Module) {
    super();
    this.memory = new WebAssembly.Memory({ initial: 1 });
    this.fns = new WebAssembly.Instance(module, { k: { m: this.memory } }).exports as unknown as WasmExports;
    this.views();
    this.ensure(64 << 10);
  }

  private views(): void {
    this.mem = new Uint8Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
  }

  protected grow(bytes: number): void {
    const pages = Math.ceil(bytes / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (pages > 0) this.memory.grow(pages);
    this.views();
  }

  classify(text: number, len: number, nlOut: number, spOut: number): [number, number] {
    const lines = this.fns.classify(text, len, nlOut, spOut);
    return [lines, this.i32[0]];
  }

  dispatch(
    nl: number,
    count: number,
    text: number,
    out: number,
    sp: number,
    spCount: number,
    longLine: number,
  ): number {
    return this.fns.dispatch(nl, count, text, out, sp, spCount, longLine);
  }

  teddy(text: number, len: number, out: number): number {
    return this.fns.teddy(text, len, out);
  }

  clean(n: number, count: number, len: number, longLine: number): [number, number] {
    const L = this.layout;
    const cleanLen = this.fns.clean(L.raw, L.clean, L.nlRaw, L.nlClean, L.out, n, count, len, longLine, L.special);
    return [cleanLen, this.i32[1]];
  }
}

class JsKernel extends BaseKernel {
  readonly kind = 'js';

  constructor() {
    super();
    this.mem = new Uint8Array(0);
    this.i32 = new Int32Array(0);
    this.ensure(64 << 10);
  }

  protected grow(bytes: number): void {
    const buffer = new ArrayBuffer(Math.ceil(bytes / PAGE) * PAGE);
    const mem = new Uint8Array(buffer);
    mem.set(this.mem.subarray(0, DATA));
    this.mem = mem;
    this.i32 = new Int32Array(buffer);
  }

  classify(text: number, len: number, nlOut: number, spOut: number): [number, number] {
    const { mem, i32 } = this;
    let k = 0;
    let spc = 0;
    for (let q = text, stop = text + len; q < stop; q++) {
      const c = mem[q];
      if (c === 10) i32[(nlOut >> 2) + k++] = q - text;
      else if (c < 0x20 ? c !== 9 : c === 0x7f || c === 0x9b) i32[(spOut >> 2) + spc++] = q - text;
    }
    // (The WebAssembly steps read up to 15 bytes past the text: padding, with no newline or control byte.)
    i32[0] = spc;
    return [k, spc];
  }

  private tableHit(one: number, at: number, base3: number, base8: number, len3: number, len8: number): number {
    const mem = this.mem;
    const t = mem[one + mem[at]];
    const h3 = hash3(mem[base3], mem[base3 + 1], mem[base3 + 2]);
    const u32 = (a: number) => mem[a] | (mem[a + 1] << 8) | (mem[a + 2] << 16) | (mem[a + 3] << 24);
    const h8 = hash8(u32(base8), u32(base8 + 4));
    return (
      (t === 1 ? 1 : 0) |
      ((mem[one + 256 + (h3 >> 3)] >> (h3 & 7)) & (t === 2 ? 1 : 0) & len3) |
      ((mem[one + 256 + 8192 + (h8 >> 3)] >> (h8 & 7)) & (t === 3 ? 1 : 0) & len8)
    );
  }

  /** pre | suf << 1 for the line [s, e), as lineFlags. */
  private lineFlags(s: number, e: number): number {
    const len3 = e - s >= 3 ? 1 : 0;
    const len8 = e - s >= 8 ? 1 : 0;
    return this.tableHit(T_PRE1, s, s, s, len3, len8) | (this.tableHit(T_SUF1, e - 1, e - 3, e - 8, len3, len8) << 1);
  }

  dispatch(
    nl: number,
    count: number,
    text: number,
    out: number,
    sp: number,
    spCount: number,
    longLine: number,
  ): number {
    const { i32 } = this;
    let n = 0;
    let s = text;
    let j = 0;
    let next = spCount > 0 ? text + i32[sp >> 2] : Infinity;
    for (let i = 0; i < count; i++) {
      const e = text + i32[(nl >> 2) + i];
      let hit = this.lineFlags(s, e);
      if (next < e) hit |= 4;
      if (e - s > longLine) hit |= 8;
      while (next < e) next = ++j < spCount ? text + i32[(sp >> 2) + j] : Infinity;
      i32[(out >> 2) + n] = i | (hit << 28);
      if (hit) n++;
      s = e + 1;
    }
    return n;
  }

  teddy(text: number, len: number, out: number): number {
    const { mem, i32 } = this;
    let n = 0;
    // The same 16-byte steps as the WebAssembly: positions in the last step may lie past the text.
    const stop = text + Math.ceil(len / 16) * 16;
    const T = T_TEDDY;
    const short = mem[T + 128];
    for (let p = text; p < stop; p++) {
      let bits = 0xff;
      for (let j = 0; j < 4 && bits; j++)
        bits &= mem[T + 32 * j + (mem[p + j] & 15)] & mem[T + 32 * j + 16 + (mem[p + j] >> 4)];
      if (!bits) continue;
      if (!(bits & short)) {
        const h = hash4(mem[p] | (mem[p + 1] << 8) | (mem[p + 2] << 16) | (mem[p + 3] << 24));
        if (!((mem[T_PRINTS + (h >> 3)] >> (h & 7)) & 1)) continue;
      }
      i32[(out >> 2) + n++] = (p - text) | (bits << 24);
    }
    return n;
  }

  clean(n: number, count: number, len: number, longLine: number): [number, number] {
    const { mem, i32, layout: L } = this;
    const nl = L.nlRaw >> 2;
    const nlClean = L.nlClean >> 2;
    const out = L.out >> 2;
    let to = L.clean;
    let from = 0;
    let next = 0;
    let forced = 0;
    const copyRun = (until: number, upto: number) => {
      mem.copyWithin(to, L.raw + from, L.raw + until);
      const shift = to - L.clean - from;
      for (; next < upto; next++) i32[nlClean + next] = i32[nl + next] + shift;
      to += until - from;
    };
    for (let j = 0; j < n; j++) {
      const entry = i32[out + j];
      if (!(entry & (4 << 28))) continue;
      const line = entry & 0x0fffffff;
      const s = line === 0 ? 0 : i32[nl + line - 1] + 1;
      const e = i32[nl + line];
      copyRun(s, line);
      const end = e - s > longLine ? -1 : cleanLineBytes(mem, L.raw + s, L.raw + e, mem, to);
      let flags = 0;
      if (end === -1) i32[(L.special >> 2) + forced++] = line;
      else [flags, to] = [this.lineFlags(to, end), end];
      i32[out + j] = line | (flags << 28);
      i32[nlClean + line] = to - L.clean;
      mem[to++] = 10;
      from = e + 1;
      next = line + 1;
    }
    copyRun(len, count);
    i32[1] = forced;
    return [to - L.clean, forced];
  }
}

let preferred: 'wasm' | 'js' | undefined;
const free: Kernel[] = [];

/** A new kernel: WebAssembly when available (or as set for tests). */
export function createKernel(kind: 'wasm' | 'js' | undefined = preferred): Kernel {
  const module = kind === 'js' ? null : wasmModule();
  return module ? new WasmKernel(module) : new JsKernel();
}

/** Forces the kernel kind of scans started from now on (tests compare the two). */
export function useKernel(kind: 'wasm' | 'js' | undefined): void {
  preferred = kind;
  free.length = 0;
}

export function wasmAvailable(): boolean {
  return wasmModule() !== null;
}

/** A kernel nobody else is using (a scan started from a detector callback gets its own). */
export function acquireKernel(): Kernel {
  return free.pop() ?? createKernel();
}

export function releaseKernel(kernel: Kernel): void {
  if (free.length < 2 && (preferred === undefined || kernel.kind === preferred)) free.push(kernel);
}
