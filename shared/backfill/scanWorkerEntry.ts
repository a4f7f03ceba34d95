// The entry of dist/scanWorker.js: a scan worker thread loads only the scanner and its detectors, not the CLI.
import { runScanWorker } from './scanWorkers';

runScanWorker();
