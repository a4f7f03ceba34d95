# Runs thefuck (Debian package) over the corpus: accuracy, cold first call and warm per-case latency.
# Usage: PYTHONPATH=/usr/share/thefuck python3 thefuck_runner.py corpus.jsonl [--one INDEX]
import json, sys, time
start = time.time()
from thefuck.types import Command
from thefuck.corrector import get_corrected_commands
from thefuck.conf import settings
settings.init()

cases = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]

def answers(case):
    try:
        return [c.script for c in get_corrected_commands(Command(case['script'], case['output']))]
    except Exception:
        return []

if '--one' in sys.argv:
    case = cases[int(sys.argv[sys.argv.index('--one') + 1])]
    print(json.dumps(answers(case)[:3]))
    sys.exit(0)

first = time.time(); answers(cases[0]); cold_first_ms = (time.time() - first) * 1000
times, top1, top3 = [], 0, 0
for case in cases:
    t = time.time(); got = answers(case); times.append((time.time() - t) * 1000)
    top1 += bool(got) and got[0] == case['expected'][0]
    top3 += case['expected'][0] in got[:3]
times.sort()
print(json.dumps({'top1': top1 / len(cases), 'top3': top3 / len(cases), 'warmP50': times[len(times) // 2], 'warmMean': sum(times) / len(times), 'firstCallMs': cold_first_ms}))
