// Heal's side of bench/suggest, in process: accuracy and warm per-case latency on the thefuck corpus.
import { evaluate, healAnswers, readCases } from '../../test/lookup/thefuckCorpus';

async function main(): Promise<void> {
  const cases = readCases('sample.jsonl');
  // The first call in a fresh process loads and compiles the rules: timed apart from the warm ones.
  const first = performance.now();
  await healAnswers(cases[0]);
  const firstCallMs = performance.now() - first;
  const { top1, top3 } = await evaluate(cases);
  const times: number[] = [];
  for (const c of cases) {
    const t = performance.now();
    await healAnswers(c);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  process.stdout.write(
    JSON.stringify({
      top1,
      top3,
      firstCallMs,
      warmP50: times[times.length >> 1],
      warmMean: times.reduce((s, x) => s + x, 0) / times.length,
    }),
  );
}

void main();
