// Report Problem webview: choose what may be sent and how to be reached; the preview is the exact bytes.
(function () {
  const vscode = acquireVsCodeApi();
  const level = document.getElementById('level');
  const contact = document.getElementById('contact');
  const preview = document.getElementById('preview');
  const status = document.getElementById('status');
  const send = document.getElementById('send');
  const remember = document.getElementById('remember');

  // Answers can come back out of order (a preview takes a round trip, a contact error none): keep the latest.
  let seq = 0;
  const update = () => vscode.postMessage({ type: 'update', consent: level.value, contact: contact.value, seq: ++seq });
  level.addEventListener('change', update);
  // vscode-textfield re-emits its input's events; keyup covers typing however the element reports it.
  for (const type of ['input', 'change', 'keyup']) contact.addEventListener(type, update);
  send.addEventListener('click', () =>
    vscode.postMessage({ type: 'send', consent: level.value, contact: contact.value, remember: remember.checked }),
  );
  document.getElementById('cancel').addEventListener('click', () => vscode.postMessage({ type: 'cancel' }));

  window.addEventListener('message', (e) => {
    const m = e.data;
    if (m.type === 'preview') {
      if (m.seq !== seq) return;
      preview.textContent = m.body || '';
      document.getElementById('bytes').textContent = m.body
        ? `${new TextEncoder().encode(m.body).length} bytes, exactly as they would be sent`
        : '';
      contact.invalid = Boolean(m.contactError);
      status.textContent = m.contactError || m.error || '';
      send.disabled = Boolean(m.contactError || m.error || !m.body);
    } else if (m.type === 'sent') {
      status.textContent = m.message;
      send.disabled = !m.ok ? false : true;
    }
  });
  update();
})();
