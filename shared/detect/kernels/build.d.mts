export const kernelSource: string;
export const kernelModule: string;
/** The compiled kernels' bytes. */
export function compileKernel(): Promise<Uint8Array>;
/** The text of the generated module for these bytes. */
export function kernelModuleText(binary: Uint8Array): string;
