// worker.js runs the Go decoder (cmd/wasm) off the page's main thread, so a large mail never
// freezes the page. Messages in: {id, text} or {id, bytes: Uint8Array}. Messages out:
// {type: "ready", ms, fetchMs, warmMs}, {type: "failed", error}, {type: "result", id, json, ms}.
'use strict';

importScripts('wasm_exec.js');

const WARM_UP_MAIL = [
  'From: MAILER-DAEMON@example.net',
  'To: sender@example.com',
  'Subject: Undelivered Mail Returned to Sender',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="w"',
  '',
  '--w',
  'Content-Type: text/plain',
  '',
  'The mail could not be delivered.',
  '--w',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.example.net',
  '',
  'Final-Recipient: rfc822; warm-up@example.org',
  'Action: failed',
  'Status: 5.1.1',
  'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
  '--w--',
  '',
].join('\r\n');

const ready = (async () => {
  const started = performance.now();
  const go = new Go();
  const response = fetch('bounceproc.wasm');
  let result;
  if (WebAssembly.instantiateStreaming) {
    result = await WebAssembly.instantiateStreaming(response, go.importObject);
  } else {
    const bytes = await (await response).arrayBuffer();
    result = await WebAssembly.instantiate(bytes, go.importObject);
  }
  // run() returns a promise that settles only when the Go program exits; main registers
  // bounceproc.decode synchronously before it blocks.
  go.run(result.instance).then(() => {
    self.postMessage({ type: 'failed', error: 'the decoder stopped' });
  });
  if (!self.bounceproc || typeof self.bounceproc.decode !== 'function') {
    throw new Error('the decoder did not start');
  }
  const fetched = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/bounceproc.wasm'));
  const startedMs = performance.now() - started;
  // Warm up: the classifier builds its phrase automaton on first use and encoding/json learns
  // the report's types, which takes a few hundred milliseconds in WebAssembly; do it now, while
  // the person is still reading the page, with a small bounce and an error line.
  const warm = performance.now();
  self.bounceproc.decode(WARM_UP_MAIL);
  self.bounceproc.decode('550 5.1.1 <warm-up@example.org>: Recipient address rejected: User unknown');
  return {
    ms: startedMs,
    fetchMs: fetched ? fetched.responseEnd - fetched.startTime : null,
    warmMs: performance.now() - warm,
  };
})();

ready.then(
  (timing) => self.postMessage({ type: 'ready', ...timing }),
  (err) => self.postMessage({ type: 'failed', error: String(err && err.message || err) }),
);

self.onmessage = async (event) => {
  const { id, text, bytes } = event.data;
  try {
    await ready;
  } catch (err) {
    return; // reported once, above
  }
  const started = performance.now();
  let json;
  try {
    json = self.bounceproc.decode(bytes !== undefined ? bytes : text);
  } catch (err) {
    json = JSON.stringify({ error: 'The decoder failed: ' + String(err && err.message || err) });
  }
  self.postMessage({ type: 'result', id, json, ms: performance.now() - started });
};
