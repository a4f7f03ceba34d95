// The scanner's byte kernels in WebAssembly (AssemblyScript, SIMD): the entry file, whose exports are the module's.
// They read and write the host's memory (imported) at the addresses of ../kernelLayout.ts; the host is
// ../lineKernel.ts, with a JavaScript twin of each. Compiled by build.mjs (npm run build:kernel) into ../lineKernelWasm.ts.

export { classify } from './classify';
export { dispatch } from './dispatch';
export { teddy } from './teddy';
export { clean } from './clean';
