// worker.js runs the Go decoder (cmd/wasm) off the page's main thread, so a large mail never
// freezes the page. Messages in: {id, text} or {id, bytes: Uint8Array}. Messages out:
// {type: "ready", ms}, {type: "failed", error}, {type: "result", id, json, ms}.
'use strict';

importScripts('wasm_exec.js');

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
  return performance.now() - started;
})();

ready.then(
  (ms) => self.postMessage({ type: 'ready', ms }),
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
