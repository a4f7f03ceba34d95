// The committed WebAssembly of the byte kernels (shared/detect/lineKernelWasm.ts) is what the AssemblyScript source
// compiles to, and stays within what the host gives it: its memory and nothing else.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineKernelWasm } from '../../shared/detect/lineKernelWasm';
import { compileKernel, kernelModule, kernelModuleText } from '../../shared/detect/kernels/build.mjs';

const root = path.join(__dirname, '../..');

/** The ids of the module's sections, in order. */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  for (let at = 8; at < bytes.length;) {
    ids.push(bytes[at++]);
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      size |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    at += size;
  }
  return ids;
}

describe('line kernel WebAssembly', () => {
  it('is up to date with its AssemblyScript source (else: npm run build:kernel)', async () => {
    const binary = await compileKernel();
    expect(readFileSync(path.join(root, kernelModule), 'utf8'), 'stale: npm run build:kernel').toBe(
      kernelModuleText(binary),
    );
  });

  it('imports only the memory, exports only the kernels and writes nothing into memory when instantiated', () => {
    const module = new WebAssembly.Module(Buffer.from(lineKernelWasm, 'base64'));
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(WebAssembly.Module.exports(module).map((e) => `${e.name}:${e.kind}`)).toEqual([
      'classify:function',
      'dispatch:function',
      'teddy:function',
      'clean:function',
    ]);
    // No data segment (11) or start function (8): the tables at the bottom of memory are the host's.
    const ids = sectionIds(Buffer.from(lineKernelWasm, 'base64'));
    expect(ids).not.toContain(11);
    expect(ids).not.toContain(8);
  });
});
