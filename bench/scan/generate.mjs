// Deterministic generator of a mixed build/test log with a known number of injected errors.
import { createWriteStream } from 'node:fs';

/** Small seeded PRNG (mulberry32) so every run writes the same bytes. */
function prng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOISE = [
  (r, i) =>
    `[${new Date(1_700_000_000_000 + i * 137).toISOString()}] INFO  compiled module ${Math.floor(r() * 5000)} in ${Math.floor(r() * 900)}ms`,
  (r) => `  ✓ renders the component with props ${Math.floor(r() * 1000)} (${Math.floor(r() * 40)} ms)`,
  (r) =>
    `npm http fetch GET 200 https://registry.npmjs.org/pkg-${Math.floor(r() * 9999)} ${Math.floor(r() * 300)}ms (cache hit)`,
  (r) => `   Compiling serde_derive v1.0.${Math.floor(r() * 200)}`,
  (r) => `PASS src/feature${Math.floor(r() * 300)}.test.ts`,
  (r) => `DEBUG worker ${Math.floor(r() * 8)} handled request id=${Math.floor(r() * 1e9).toString(16)} status=200`,
  () => `webpack compiled successfully; no errors found, 0 warnings`,
  (r) => `\x1b[32m✔\x1b[0m built dist/chunk-${Math.floor(r() * 1e6).toString(36)}.js  ${Math.floor(r() * 900)} kB`,
];

// Real error lines of a few tool families; each yields exactly one event.
const ERRORS = [
  (r) =>
    `src/mod${Math.floor(r() * 400)}.ts(${1 + Math.floor(r() * 300)},${1 + Math.floor(r() * 80)}): error TS2304: Cannot find name 'value${Math.floor(r() * 50)}'.`,
  (r) =>
    `src/app${Math.floor(r() * 400)}.ts:${1 + Math.floor(r() * 300)}:${1 + Math.floor(r() * 80)} - error TS2322: Type 'string' is not assignable to type 'number'.`,
];

export async function generate(file, targetBytes, { errorEvery = 5000, seed = 42 } = {}) {
  const r = prng(seed);
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let bytes = 0;
  let errors = 0;
  let buf = '';
  for (let i = 0; bytes < targetBytes; i++) {
    let line;
    if (i % errorEvery === errorEvery - 1) {
      line = ERRORS[errors % ERRORS.length](r);
      errors++;
    } else {
      line = NOISE[Math.floor(r() * NOISE.length)](r, i);
    }
    buf += line + '\n';
    if (buf.length > 1 << 20) {
      bytes += Buffer.byteLength(buf);
      if (!out.write(buf)) await new Promise((res) => out.once('drain', res));
      buf = '';
    }
  }
  bytes += Buffer.byteLength(buf);
  out.write(buf);
  await new Promise((res) => out.end(res));
  return { bytes, errors };
}
