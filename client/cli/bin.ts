// Entry of the `heal` executable: loads the CLI bundle (dist/cliMain.js) through the code cache and runs it.
import * as path from 'node:path';
import { requireWithCodeCache } from './codeCache';
import { exitQuietlyOnBrokenPipe } from './output';

// `heal … | head`: a closed pipe ends Heal quietly, also before the CLI bundle has loaded.
exitQuietlyOnBrokenPipe();

const cli = requireWithCodeCache(path.join(__dirname, 'cliMain.js')) as typeof import('./main');
void cli.main(process.argv).then((code) => {
  process.exitCode = code;
});
