// app.js is the page's glue: it hands the input to the decoder in worker.js and renders the JSON
// that cmd/wasm returns. No framework, no network: everything below runs on this page.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const input = $('input');
  const status = $('status');
  const results = $('results');
  const errorBox = $('error');
  const output = $('output');

  // The verdict kinds of classify.Kind, as the badge shows them.
  const KIND_LABELS = {
    hard: 'hard bounce',
    soft: 'soft bounce',
    blocked: 'blocked',
    complaint: 'complaint',
    autoreply: 'auto-reply',
    delayed: 'delayed',
    delivered: 'delivered',
    undetermined: 'undetermined',
  };

  const bp = {
    ready: false,
    loadMs: null, // time to fetch, compile and start the module
    fetchMs: null, // of which the download
    warmMs: null, // the warm-up decode after start
    firstResultAt: null, // performance.now() when the first result was shown
    last: null, // the last decoded result (parsed JSON), for copy and CSV
    lastMs: null, // time the last decode took inside the worker
    decodes: 0,
  };
  window.bp = bp;

  // --- the worker -------------------------------------------------------------------------
  let worker;
  let nextID = 1;
  const pending = new Map(); // id -> resolve

  function startWorker() {
    worker = new Worker('worker.js');
    worker.onmessage = (event) => {
      const msg = event.data;
      switch (msg.type) {
        case 'ready':
          bp.ready = true;
          bp.loadMs = msg.ms;
          bp.fetchMs = msg.fetchMs;
          bp.warmMs = msg.warmMs;
          setStatus(input.value.trim() ? 'Decoding…' : 'Ready. Paste a bounce or an error line.');
          break;
        case 'failed':
          setStatus('The decoder could not start: ' + msg.error, true);
          for (const resolve of pending.values()) {
            resolve({ json: JSON.stringify({ error: 'The decoder could not start: ' + msg.error }), ms: 0 });
          }
          pending.clear();
          break;
        case 'result': {
          const resolve = pending.get(msg.id);
          pending.delete(msg.id);
          if (resolve) resolve({ json: msg.json, ms: msg.ms });
          break;
        }
      }
    };
    worker.onerror = (event) => {
      setStatus('The decoder could not start: ' + (event.message || 'worker error'), true);
    };
  }

  // decode sends text (a string) or bytes (a Uint8Array) to the worker and resolves with
  // {result, ms}. Exposed as bp.decode for tests and the console.
  function decode(data) {
    const id = nextID++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      if (typeof data === 'string') {
        worker.postMessage({ id, text: data });
      } else {
        worker.postMessage({ id, bytes: data });
      }
    }).then(({ json, ms }) => {
      let result;
      try {
        result = JSON.parse(json);
      } catch (err) {
        result = { error: 'The decoder returned something unreadable.' };
      }
      return { result, ms };
    });
  }
  bp.decode = decode;

  // --- input ------------------------------------------------------------------------------
  let latest = 0; // id of the newest request; older answers are dropped
  let timer = null;

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(run, delay);
  }

  async function run(bytes) {
    const text = input.value;
    const ticket = ++latest;
    if (!bytes && text.trim() === '') {
      results.hidden = true;
      bp.last = null;
      setStatus(bp.ready ? 'Ready. Paste a bounce or an error line.' : 'Loading the decoder…');
      return;
    }
    if (!bp.ready) setStatus('Loading the decoder…');
    else setStatus('Decoding…');
    const { result, ms } = await decode(bytes || text);
    if (ticket !== latest) return;
    bp.decodes++;
    bp.lastMs = ms;
    render(result, ms);
    if (bp.firstResultAt === null) bp.firstResultAt = performance.now();
  }

  // A paste or a dropped text decodes at once; typing waits for a pause.
  let lastLength = input.value.length;
  input.addEventListener('input', () => {
    // What is in the box is no longer the example the drop-down names.
    $('example').value = '';
    const jump = Math.abs(input.value.length - lastLength) > 1;
    lastLength = input.value.length;
    schedule(jump ? 0 : 150);
  });

  $('clear').addEventListener('click', () => {
    clearTimeout(timer);
    input.value = '';
    lastLength = 0;
    $('example').value = '';
    run();
    input.focus();
  });

  const select = $('example');
  for (const [i, ex] of (window.BOUNCE_EXAMPLES || []).entries()) {
    const opt = document.createElement('option');
    opt.value = String(i);
    opt.textContent = ex.name;
    select.append(opt);
  }
  select.addEventListener('change', () => {
    const ex = (window.BOUNCE_EXAMPLES || [])[Number(select.value)];
    if (!ex || select.value === '') return;
    input.value = ex.text;
    lastLength = input.value.length;
    run();
  });

  // Files: read the raw bytes, so that 8-bit mail reaches the decoder unchanged; show the text
  // in the box when it is small enough to edit.
  const SHOW_LIMIT = 2 << 20;
  async function openFile(file) {
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    input.value = bytes.length <= SHOW_LIMIT
      ? new TextDecoder('utf-8').decode(bytes)
      : `(${file.name}: ${bytes.length} bytes, too large to show here; the result below is for the whole file)`;
    select.value = '';
    run(bytes);
  }
  $('file').addEventListener('change', (event) => {
    openFile(event.target.files[0]);
    event.target.value = '';
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('dragging');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('dragging');
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if (file) openFile(file);
  });

  // --- rendering --------------------------------------------------------------------------

  function setStatus(text, isError) {
    status.textContent = text;
    status.classList.toggle('bad', !!isError);
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v;
      else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === '') continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  // rows turns a result into one row per recipient: from the report of a mail, or from the
  // explanation of a pasted error line.
  function rows(result) {
    if (result.report) {
      return (result.report.recipients || []).map((r, i) => ({
        address: r.recipient || '',
        original: r.original_recipient || '',
        action: r.action || '',
        reply: r.reply_code || '',
        status: r.status || '',
        statusSource: r.status_source || '',
        verdict: (result.verdicts || [])[i] || {},
        codes: (result.codes || [])[i] || [],
        diagnostic: r.diagnostic || '',
        remoteMTA: r.remote_mta || '',
      }));
    }
    if (result.text) {
      const t = result.text;
      return [{
        address: result.address || '',
        original: '',
        action: '',
        reply: t.reply || '',
        status: t.status || '',
        statusSource: 'the pasted text',
        verdict: t.verdict || {},
        codes: t.codes || [],
        diagnostic: result.line || '',
        remoteMTA: '',
      }];
    }
    return [];
  }
  bp.rows = rows;

  function kindOf(verdict) {
    return verdict.kind || 'undetermined';
  }

  function render(result, ms) {
    bp.last = result;
    results.hidden = false;
    if (result.error) {
      errorBox.hidden = false;
      errorBox.textContent = result.error;
      output.hidden = true;
      setStatus('Could not decode this input (see the result below).', true);
      return;
    }
    errorBox.hidden = true;
    output.hidden = false;
    const list = rows(result);

    // Summary, announced to screen readers through the status line.
    const kinds = list.map((r) => KIND_LABELS[kindOf(r.verdict)] || kindOf(r.verdict));
    const suppress = list.filter((r) => r.verdict.suppress).length;
    let summary;
    if (result.report) {
      const rep = result.report;
      summary = `${describeMail(rep)}: ${list.length} recipient${list.length === 1 ? '' : 's'}` +
        (list.length ? ` (${kinds.join(', ')})` : '') +
        (suppress ? `, ${suppress} to suppress` : ', none to suppress') + '.';
    } else {
      summary = `Error line: ${kinds[0]}, ${list[0].verdict.suppress ? 'suppress the address' : 'do not suppress'}.`;
    }
    $('summary').textContent = summary + ` Decoded in ${ms.toFixed(1)} ms.`;
    setStatus(summary);

    const tbody = $('recipients').querySelector('tbody');
    tbody.replaceChildren(...list.map(renderRow));
    if (list.length === 0) {
      tbody.append(el('tr', {}, el('td', { colspan: '7' }, 'No recipient found in this mail.')));
    }

    renderOriginal(result);
    renderDetails(result);
    renderProblems(result);
  }

  function describeMail(rep) {
    switch (rep.kind) {
      case 'dsn': return 'Delivery status notification';
      case 'bounce': return 'Bounce';
      case 'feedback': return 'Complaint (feedback report)';
      case 'autoreply': return 'Automatic reply';
      case 'notbounce': return 'Not a bounce';
      default: return 'Unrecognised mail';
    }
  }

  function renderRow(r) {
    const kind = kindOf(r.verdict);
    const badge = el('span', { class: `badge kind-${kind}` }, KIND_LABELS[kind] || kind);
    const verdictCell = el('td', { 'data-label': 'Verdict', class: 'verdict' }, badge);
    if (r.verdict.explanation) verdictCell.append(el('p', { class: 'explain' }, r.verdict.explanation));
    if (r.verdict.advice) verdictCell.append(el('p', { class: 'advice' }, el('strong', {}, 'What to do: '), r.verdict.advice));
    if (r.verdict.evidence && r.verdict.evidence.length) {
      verdictCell.append(el('details', {}, el('summary', {}, 'Evidence'),
        el('ul', {}, ...r.verdict.evidence.map((e) => el('li', {}, e)))));
    }
    const address = el('td', { 'data-label': 'Address', class: 'address' }, r.address || '(no address)');
    if (r.original && r.original !== r.address) address.append(el('div', { class: 'help' }, 'originally ' + r.original));
    return el('tr', {},
      address,
      verdictCell,
      el('td', { 'data-label': 'Suppress' }, el('span', { class: r.verdict.suppress ? 'yes' : 'no' }, r.verdict.suppress ? 'yes' : 'no')),
      el('td', { 'data-label': 'Reason' }, r.verdict.reason || 'undefined', r.verdict.fault && r.verdict.fault !== 'unknown' ? el('div', { class: 'help' }, 'fault: ' + r.verdict.fault) : null),
      el('td', { 'data-label': 'Codes', class: 'codes' }, renderCodes(r)),
      el('td', { 'data-label': 'Diagnostic', class: 'diagnostic' }, r.diagnostic ? el('code', {}, r.diagnostic) : '—'),
      el('td', { 'data-label': 'Remote MTA' }, r.remoteMTA || '—'),
    );
  }

  // renderCodes lists the reply and enhanced codes with their meaning and advice from the code
  // dictionary (classify.Meaning).
  function renderCodes(r) {
    const codes = r.codes || [];
    if (codes.length === 0) {
      const bare = [r.reply, r.status].filter(Boolean).join(' ');
      return bare ? el('code', {}, bare) : '—';
    }
    return el('dl', { class: 'code-list' }, ...codes.flatMap((m) => {
      const dt = el('dt', {}, el('code', {}, m.code || ''), ' ', m.summary || '');
      if (m.temporary) dt.append(el('span', { class: 'help' }, ' (temporary)'));
      const dd = el('dd', {}, m.explanation || '');
      if (m.advice) dd.append(el('div', { class: 'advice' }, m.advice));
      if (m.inferred) dd.append(el('div', { class: 'help' }, 'Not a registered code: explained from its digits.'));
      return [dt, dd];
    }));
  }

  function dlAppend(dl, name, value) {
    if (value === undefined || value === null || value === '') return;
    dl.append(el('dt', {}, name), el('dd', {}, value));
  }

  function renderOriginal(result) {
    const section = $('original-section');
    const dl = $('original');
    dl.replaceChildren();
    const o = result.report && result.report.original;
    if (!o) {
      section.hidden = true;
      return;
    }
    dlAppend(dl, 'Message-ID', o.message_id);
    dlAppend(dl, 'From', o.from);
    dlAppend(dl, 'To', o.to);
    dlAppend(dl, 'Subject', o.subject);
    dlAppend(dl, 'Date', o.date);
    dlAppend(dl, 'List-ID', o.list_id);
    for (const f of o.headers || []) dlAppend(dl, f.name, f.value);
    section.hidden = dl.children.length === 0;
  }

  function renderDetails(result) {
    const dl = $('details');
    dl.replaceChildren();
    if (result.report) {
      const rep = result.report;
      dlAppend(dl, 'Kind of mail', describeMail(rep));
      dlAppend(dl, 'Decoded by', rep.decoded_by || 'no decoder recognised it');
      dlAppend(dl, 'Subject', rep.subject);
      dlAppend(dl, 'From', rep.from);
      dlAppend(dl, 'Reporting MTA', rep.reporting_mta);
      dlAppend(dl, 'Arrival date', rep.arrival_date);
      if (rep.feedback) {
        dlAppend(dl, 'Feedback type', rep.feedback.type);
        dlAppend(dl, 'Source IP', rep.feedback.source_ip);
        dlAppend(dl, 'Original mail from', rep.feedback.original_mail_from);
      }
      const sources = rows(result).map((r) => r.statusSource).filter(Boolean);
      if (sources.length) dlAppend(dl, 'Status read from', [...new Set(sources)].join('; '));
    } else if (result.text) {
      dlAppend(dl, 'Input', 'an error line, not a whole mail: codes were read from the text');
      dlAppend(dl, 'Reply code', result.text.reply);
      dlAppend(dl, 'Enhanced status', result.text.status);
    }
  }

  function renderProblems(result) {
    const problems = (result.report && result.report.problems) || [];
    const ul = $('problems');
    ul.replaceChildren(...problems.map((p) => el('li', {},
      el('code', {}, p.code), ' ', p.detail || '', p.lost ? el('span', { class: 'lost' }, ' (some content lost)') : null)));
    $('problems-section').hidden = problems.length === 0;
  }

  // --- copy and CSV -----------------------------------------------------------------------
  const CSV_COLUMNS = ['address', 'original_address', 'kind', 'suppress', 'reason', 'fault',
    'reply_code', 'status', 'diagnostic', 'remote_mta', 'decoded_by', 'original_message_id'];

  function csvField(v) {
    const s = String(v === undefined || v === null ? '' : v);
    // Quote every field that needs it, and neutralise a leading formula character so that a
    // spreadsheet never runs what a bounce contains.
    const safe = /^[=+\-@\t\r]/.test(s) ? "'" + s : s;
    return /[",\r\n]/.test(safe) ? '"' + safe.replace(/"/g, '""') + '"' : safe;
  }

  function toCSV(result) {
    const rep = result.report || {};
    const lines = [CSV_COLUMNS.join(',')];
    for (const r of rows(result)) {
      lines.push([
        r.address, r.original, kindOf(r.verdict), r.verdict.suppress ? 'yes' : 'no',
        r.verdict.reason || '', r.verdict.fault || '', r.reply, r.status, r.diagnostic, r.remoteMTA,
        rep.decoded_by || '', (rep.original && rep.original.message_id) || '',
      ].map(csvField).join(','));
    }
    return lines.join('\r\n') + '\r\n';
  }
  bp.csv = () => (bp.last ? toCSV(bp.last) : '');
  bp.json = () => (bp.last ? JSON.stringify(bp.last, null, 2) : '');

  const copied = $('copied');
  $('copy').addEventListener('click', async () => {
    const text = bp.json();
    try {
      await navigator.clipboard.writeText(text);
    } catch (err) {
      // Clipboard API refused (an insecure origin or no permission): copy through a selection.
      const area = el('textarea', { class: 'visually-hidden', 'aria-hidden': 'true' });
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    copied.textContent = 'Copied.';
    setTimeout(() => { copied.textContent = ''; }, 2500);
  });

  $('csv').addEventListener('click', () => {
    const blob = new Blob([bp.csv()], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: 'bounce.csv' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });

  startWorker();
  if (input.value.trim()) run(); // text the browser kept across a reload
})();
