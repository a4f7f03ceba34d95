// Entry of dist/supabaseClient.js: the client libraries the shared memory needs, bundled apart (clientLibraries.ts).
export { createClient } from '@supabase/supabase-js';
export { default as WebSocket } from 'ws';
