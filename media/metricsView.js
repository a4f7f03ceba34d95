// Metrics webview: draws the metrics the extension posts, with Chart.js, in the editor theme's colours.
(function () {
  const vscode = acquireVsCodeApi();
  const charts = [];
  let last;

  const css = (name, fallback) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
  const pct = (r) => (r === null ? '—' : `${Math.round(r * 100)} %`);
  const duration = (ms) =>
    ms === null
      ? '—'
      : ms < 60000
        ? `${Math.round(ms / 1000)} s`
        : ms < 7200000
          ? `${Math.round(ms / 60000)} min`
          : `${(ms / 3600000).toFixed(1)} h`;

  function tile(label, value, detail) {
    const div = document.createElement('div');
    div.className = 'tile';
    div.setAttribute('role', 'group');
    div.setAttribute('aria-label', label);
    div.innerHTML = '<div class="value"></div><div class="label"></div><div class="detail"></div>';
    div.querySelector('.value').textContent = value;
    div.querySelector('.label').textContent = label;
    div.querySelector('.detail').textContent = detail;
    return div;
  }

  function chart(id, config) {
    const fg = css('--vscode-foreground', '#333');
    const grid = css('--vscode-panel-border', 'rgba(128,128,128,0.3)');
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options);
    config.options.plugins = Object.assign({ legend: { labels: { color: fg } } }, config.options.plugins);
    config.options.scales = config.options.scales || {};
    for (const axis of ['x', 'y'])
      config.options.scales[axis] = Object.assign(
        { ticks: { color: fg, precision: 0 }, grid: { color: grid } },
        config.options.scales[axis],
      );
    charts.push(new Chart(document.getElementById(id), config));
  }

  function render(m) {
    last = m;
    while (charts.length) charts.pop().destroy();
    const tiles = document.getElementById('tiles');
    tiles.replaceChildren(
      tile('Detection rate', pct(m.detectionRate), `${m.recognisedRuns} of ${m.failedRuns} failed commands recognised`),
      tile('Auto-fix rate', pct(m.autoFixRate), `${m.autoFixed} fixed by Heal itself`),
      tile(
        'Fix success rate',
        pct(m.fixSuccessRate),
        `${m.fixesVerified} of ${m.fixesFinished} applied fixes verified`,
      ),
      tile('Time to resolution', duration(m.meanTimeToResolutionMs), 'mean over resolved failures'),
      tile('Patterns', String(m.patterns), 'remembered failures'),
    );
    document.getElementById('window').textContent = `${m.from.slice(0, 10)} … ${m.to.slice(0, 10)}`;
    const days = m.daily.map((d) => d.date.slice(5));
    const blue = css('--vscode-charts-blue', '#3794ff');
    const red = css('--vscode-charts-red', '#f14c4c');
    const green = css('--vscode-charts-green', '#89d185');
    const yellow = css('--vscode-charts-yellow', '#cca700');
    const purple = css('--vscode-charts-purple', '#b180d7');
    chart('failures', {
      type: 'bar',
      data: {
        labels: days,
        datasets: [
          { label: 'failed commands', data: m.daily.map((d) => d.failedRuns), backgroundColor: red },
          { label: 'recognised', data: m.daily.map((d) => d.recognisedRuns), backgroundColor: blue },
        ],
      },
    });
    chart('fixes', {
      type: 'bar',
      data: {
        labels: days,
        datasets: [
          { label: 'fixes applied', data: m.daily.map((d) => d.fixesApplied), backgroundColor: yellow },
          { label: 'verified', data: m.daily.map((d) => d.fixesVerified), backgroundColor: green },
        ],
      },
    });
    chart('growth', {
      type: 'line',
      data: {
        labels: days,
        datasets: [
          {
            label: 'patterns remembered',
            data: m.daily.map((d) => d.patternsTotal),
            borderColor: purple,
            backgroundColor: purple,
          },
          {
            label: 'remote calls (daily cost)',
            data: m.daily.map((d) => d.remoteCalls),
            borderColor: blue,
            backgroundColor: blue,
          },
        ],
      },
    });
    const top = m.topByTimeLost.length ? m.topByTimeLost : m.topByOccurrences;
    chart('top', {
      type: 'bar',
      data: {
        labels: top.map((p) => `${p.flaky !== null ? '[flaky] ' : ''}${p.message.split('\n')[0].slice(0, 50)}`),
        datasets: [
          {
            label: 'time lost (minutes)',
            data: top.map((p) => Math.round(p.timeLostMs / 60000)),
            backgroundColor: red,
          },
          { label: 'occurrences', data: top.map((p) => p.occurrences), backgroundColor: blue },
        ],
      },
      options: { indexAxis: 'y' },
    });
    const rows = document.querySelector('#top-table tbody');
    rows.replaceChildren(
      ...m.topByOccurrences.map((p) => {
        const tr = document.createElement('tr');
        for (const text of [
          p.message.split('\n')[0],
          p.tool,
          String(p.occurrences),
          duration(p.timeLostMs),
          duration(p.meanTimeToResolutionMs),
          p.flaky !== null ? 'flaky' : '',
        ]) {
          const td = document.createElement('td');
          td.textContent = text;
          tr.appendChild(td);
        }
        return tr;
      }),
    );
  }

  window.addEventListener('message', (e) => {
    if (e.data && e.data.type === 'metrics') render(e.data.metrics);
  });
  document
    .getElementById('refresh')
    .addEventListener('click', () =>
      vscode.postMessage({ type: 'refresh', days: Number(document.getElementById('days').value) }),
    );
  document
    .getElementById('days')
    .addEventListener('change', (e) => vscode.postMessage({ type: 'refresh', days: Number(e.target.value) }));
  // Redraw in the new colours when the theme changes (VS Code sets the body class).
  new MutationObserver(() => last && render(last)).observe(document.body, {
    attributes: true,
    attributeFilter: ['class'],
  });
  vscode.postMessage({ type: 'ready' });
})();
