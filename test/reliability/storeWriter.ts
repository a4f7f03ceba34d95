// Child process for the store reliability tests: writes `count` records and acknowledges each on stdout
// only after its write returned.
import { LocalStore } from '../../shared/store/localStore';
import { recordOccurrence } from '../../shared/store/patterns';
import { written } from './writtenSection';
import { scanText } from '../../shared/detect/scanner';

async function main(): Promise<void> {
  const [dir, countText, prefix] = process.argv.slice(2);
  const store = new LocalStore(dir);
  const [event] = scanText("index.ts(3,13): error TS2304: Cannot find name 'foo'.").events;
  for (let i = 0; i < Number(countText); i++) {
    const id = `${prefix}-${i}`;
    await store.update((data) => {
      recordOccurrence(data, event, new Date().toISOString());
      written.set(data, [...written.get(data), id]);
    });
    process.stdout.write(id + '\n');
  }
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exit(1);
});
