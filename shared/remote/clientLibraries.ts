// supabase-js and ws, loaded only when a shared memory is configured. The shipped bundles keep them in a file of
// their own (dist/supabaseClient.js, see esbuild.mjs), so the CLI, the language server and backfill's worker
// threads do not carry them in every start.
import * as path from 'node:path';

export interface ClientLibraries {
  createClient: typeof import('@supabase/supabase-js').createClient;
  WebSocket: typeof import('ws').default;
}

/** Set by esbuild for the shipped bundles. */
declare const HEAL_SPLIT_CLIENT: boolean | undefined;

export async function clientLibraries(): Promise<ClientLibraries> {
  if (typeof HEAL_SPLIT_CLIENT !== 'undefined' && HEAL_SPLIT_CLIENT) {
    // A computed path, so the bundler leaves this require to run time.
    const file = path.join(__dirname, 'supabaseClient.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as ClientLibraries;
  }
  const [{ createClient }, { default: WebSocket }] = await Promise.all([import('@supabase/supabase-js'), import('ws')]);
  return { createClient, WebSocket };
}
