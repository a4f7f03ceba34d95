// The CLI's version, injected by esbuild from package.json.
declare const HEAL_VERSION: string | undefined;
export const VERSION = typeof HEAL_VERSION === 'string' ? HEAL_VERSION : '0.0.0-dev';
