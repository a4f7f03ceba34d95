// Byte kernels of the scanner: the passes over every byte of the output, in WebAssembly (SIMD, 16 bytes a step;
// AssemblyScript in kernels/, compiled into lineKernelWasm.ts by `npm run build:kernel`) with a plain JavaScript
// twin here that computes exactly the same (used where WebAssembly is missing, and in tests to check the two agree).
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
// All of them read one linear memory (laid out in kernelLayout.ts): fixed tables (loaded from the trigger plan) and,
// per window of output, the raw bytes, their cleaned copy and the output lists. Positions in the lists are relative
// to the text passed in.

import { cleanLineBytes } from './cleanBytes';
import {
  DATA,
  M_FORCED,
  M_SPECIAL,
  T_PRE1,
  T_PREBITS,
  T_PREBITS8,
  T_PRINTS,
  T_SUF1,
  T_SUFBITS,
  T_SUFBITS8,
  T_TEDDY,
} from './kernelLayout';
import { lineKernelWasm } from './lineKernelWasm';

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

let compiled: WebAssembly.Module | null | undefined;

function wasmModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = Buffer.from(lineKernelWasm, 'base64');
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
    this.fns = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as WasmExports;
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
    return [lines, this.i32[M_SPECIAL >> 2]];
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
    return [cleanLen, this.i32[M_FORCED >> 2]];
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
    i32[M_SPECIAL >> 2] = spc;
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
    i32[M_FORCED >> 2] = forced;
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
