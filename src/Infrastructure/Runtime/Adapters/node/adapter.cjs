'use strict';
// FunctionsPlatform node adapter: loads one function and serves the executor over a Unix socket.
// argv: <socket path> <entrypoint path>. Writes "FP-READY" on stdout once listening; exit code 3 = the code failed to load.
// FP_CONCURRENCY (environment, removed before user code runs): requests served at once; 1 = one at a time, in order.
// Generic mode (argv: <socket path> only): listens with no function loaded; the first frame on the connection is the
// specialization: head "0", "FP-LOAD", entrypoint, concurrency, memory MB, then the environment as name/value pairs.
// The adapter replaces its whole environment with that one, loads the entrypoint and answers id "0" with status 200, or
// 500 with the load error in the errors part (then exits 3). It is then that function's process for life.
// Framing (both ways): u32 BE head length, u32 BE payload length, head (UTF-8 fields joined by NUL), payload.
// Request head: request id, method, target, then header name/value pairs; payload = body.
// Reply head: request id, status, logs length, errors length, body-truncated flag, run time in µs (the request's start to
// its reply here: the executor tells fast functions from slow ones by it), then header pairs; payload = logs + errors + body,
// so big bodies are never re-encoded. Plain `net` rather than `node:http`: its lazily compiled parser cost ~10-20 ms on
// the first request of every process.
const net = require('node:net');

const [socketPath, entrypointArgument] = process.argv.slice(2);
const generic = entrypointArgument === undefined;
let entrypoint = entrypointArgument;
const CAP = 1 << 20;
const LOG_MARK = '\n[WARNING] Logs truncated. The output exceeded 1048576 bytes.\n';
const fs = require('node:fs');
// Several requests at once: console output is attributed to the request whose async context wrote it.
let requestScope = null;
const configure = (concurrency) => {
  if (Math.max(1, Number(concurrency) || 1) > 1) requestScope = new (require('node:async_hooks').AsyncLocalStorage)();
};
if (!generic) {
  configure(process.env.FP_CONCURRENCY);
  delete process.env.FP_CONCURRENCY;
}

// Per-call capture of context.log/error and stray console output.
class Capture {
  constructor() { this.parts = []; this.size = 0; this.truncated = false; }
  add(text) {
    if (this.truncated) return;
    const room = CAP - this.size;
    if (Buffer.byteLength(text) > room) {
      this.parts.push(Buffer.from(text).subarray(0, Math.max(0, room)).toString(), LOG_MARK);
      this.truncated = true;
      return;
    }
    this.parts.push(text); this.size += Buffer.byteLength(text);
  }
  toBuffer() { return Buffer.from(this.parts.join('')); }
}
let logs = new Capture();
let errors = new Capture();
const current = () => (requestScope && requestScope.getStore()) || { logs, errors };

const format = (args) => args.map((a) => {
  if (a instanceof Error) return a.stack || String(a);
  if (typeof a === 'object' && a !== null) { try { return JSON.stringify(a); } catch { return String(a); } }
  return String(a);
}).join(' ');

const native = (target) => (chunk, encoding, cb) => {
  target().add(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
  if (typeof encoding === 'function') encoding(); else if (typeof cb === 'function') cb();
  return true;
};
// process.stdout/stderr are built on first access (a pipe stream costs a few ms of start-up): capture them only then.
const captureOnAccess = (name, target) => {
  const { get, enumerable } = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, {
    configurable: true, enumerable,
    get() {
      const stream = get.call(process);
      stream.write = native(target);
      Object.defineProperty(process, name, { configurable: true, enumerable, value: stream });
      return stream;
    },
  });
};
captureOnAccess('stdout', () => current().logs);
captureOnAccess('stderr', () => current().errors);

function loadFailed(error) {
  const message = error && error.stack ? error.stack : String(error);
  fs.writeSync(2, `Failed to load ${require('node:path').basename(entrypoint)}: ${message}\n`);
  process.exit(3);
}

async function loadHandler() {
  let mod;
  try {
    mod = require(entrypoint);
  } catch (error) {
    const esm = error && (error.code === 'ERR_REQUIRE_ESM' || (error instanceof SyntaxError && /\b(import|export)\b/.test(error.message)));
    if (!esm) throw error;
    mod = await import(require('node:url').pathToFileURL(entrypoint).href);
  }
  const candidates = [mod, mod && mod.default, mod && mod.default && mod.default.default];
  for (const c of candidates) {
    if (typeof c === 'function') return { kind: 'context', fn: c };
    if (c && typeof c === 'object' && typeof c.fetch === 'function') return { kind: 'fetch', fn: c.fetch.bind(c) };
  }
  throw new Error('The entrypoint exports no handler: export a function (module.exports = async (context) => ...) or an object with fetch().');
}

function makeContext(req, bodyBuffer, capture) {
  const headers = req.headers;
  const url = req.url || '/';
  const q = url.indexOf('?');
  const queryString = q >= 0 ? url.slice(q + 1) : '';
  const query = {};
  for (const pair of queryString.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    query[eq >= 0 ? pair.slice(0, eq) : pair] = eq >= 0 ? pair.slice(eq + 1) : '';
  }
  const host = (headers.host || 'localhost').split(':');
  const scheme = headers['x-forwarded-proto'] || 'http';
  const bodyText = bodyBuffer.toString('utf8');
  const isJson = (headers['content-type'] || '').includes('application/json');
  const request = {
    method: req.method,
    path: q >= 0 ? url.slice(0, q) : url,
    queryString, query, headers, host: host[0], scheme,
    port: Number(host[1] || (scheme === 'https' ? 443 : 80)),
    url: `${scheme}://${headers.host || 'localhost'}${url}`,
    bodyRaw: bodyText, bodyText,
    get bodyBinary() { return bodyBuffer; },
    get bodyJson() { return JSON.parse(bodyText); },
    get body() { return isJson ? (bodyText ? JSON.parse(bodyText) : {}) : bodyText; },
  };
  const out = (body, statusCode = 200, hdrs = {}) => ({ body, statusCode, headers: hdrs });
  const response = {
    send: (body, statusCode = 200, hdrs = {}) => out(body == null ? '' : String(body), statusCode, hdrs),
    text: (body, statusCode = 200, hdrs = {}) => out(body == null ? '' : String(body), statusCode, hdrs),
    binary: (bytes, statusCode = 200, hdrs = {}) => out(Buffer.from(bytes), statusCode, hdrs),
    json: (obj, statusCode = 200, hdrs = {}) => out(JSON.stringify(obj), statusCode, { 'content-type': 'application/json', ...hdrs }),
    empty: () => out('', 204, {}),
    redirect: (location, statusCode = 301, hdrs = {}) => out('', statusCode, { ...hdrs, location }),
  };
  return {
    req: request, res: response,
    log: (...args) => capture.logs.add(format(args) + '\n'),
    error: (...args) => capture.errors.add(format(args) + '\n'),
  };
}

async function runFetch(fn, req, bodyBuffer) {
  const hasBody = !['GET', 'HEAD'].includes(req.method) && bodyBuffer.length > 0;
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) headers.set(k, v);
  const request = new Request(`http://${req.headers.host || 'localhost'}${req.url}`, { method: req.method, headers, body: hasBody ? bodyBuffer : undefined });
  const waits = [];
  const ctx = { waitUntil: (p) => waits.push(p), passThroughOnException: () => {} };
  const response = await fn(request, { ...process.env }, ctx);
  if (!(response instanceof Response)) throw new Error('fetch() must return a Response.');
  const out = {};
  response.headers.forEach((v, k) => { out[k] = v; });
  const body = Buffer.from(await response.arrayBuffer());
  await Promise.allSettled(waits);
  return { statusCode: response.status, headers: out, body };
}

const field = (value) => String(value).replace(/\0/g, ' ');

// One reply frame; the function's logs and errors of this call travel in front of its body.
function reply(id, capture, statusCode, headers, body, startedAt) {
  const status = Number(statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 999) throw new RangeError(`Invalid status code: ${statusCode}`);
  let bodyBuffer = Buffer.isBuffer(body) ? body : Buffer.from(body == null ? '' : String(body));
  let truncated = '0';
  if (bodyBuffer.length > CAP) {
    bodyBuffer = bodyBuffer.subarray(0, CAP);
    truncated = '1';
  }
  const logBuffer = capture.logs.toBuffer();
  const errorBuffer = capture.errors.toBuffer();
  const runUs = startedAt === undefined ? 0 : Math.round((performance.now() - startedAt) * 1000);
  const fields = [id, String(status), String(logBuffer.length), String(errorBuffer.length), truncated, String(runUs)];
  let contentType = false;
  for (const [k, v] of Object.entries(headers || {})) {
    const name = k.toLowerCase();
    if (name.startsWith('x-fp-') || name === 'content-length' || name === 'transfer-encoding' || name === 'connection') continue;
    if (name === 'content-type') contentType = true;
    fields.push(field(name), field(v));
  }
  if (!contentType) fields.push('content-type', 'text/plain');
  const head = Buffer.from(fields.join('\0'));
  const prefix = Buffer.allocUnsafe(8);
  prefix.writeUInt32BE(head.length, 0);
  prefix.writeUInt32BE(logBuffer.length + errorBuffer.length + bodyBuffer.length, 4);
  return Buffer.concat([prefix, head, logBuffer, errorBuffer, bodyBuffer]);
}

function parseRequest(head) {
  const fields = head.split('\0');
  const headers = {};
  for (let i = 3; i + 1 < fields.length; i += 2) {
    const name = fields[i];
    headers[name] = name in headers ? `${headers[name]}, ${fields[i + 1]}` : fields[i + 1];
  }
  return { id: fields[0], method: fields[1], url: fields[2], headers, startedAt: performance.now() };
}

async function run(handler, req, bodyBuffer, capture) {
  // Appwrite's legacy per-call variable: the trigger of the call being served (last writer wins when calls share a process).
  process.env.APPWRITE_FUNCTION_TRIGGER = req.headers['x-appwrite-trigger'] || 'http';
  try {
    if (handler.kind === 'fetch') {
      const r = await runFetch(handler.fn, req, bodyBuffer);
      return reply(req.id, capture, r.statusCode, r.headers, r.body, req.startedAt);
    }
    const result = await handler.fn(makeContext(req, bodyBuffer, capture));
    if (result === undefined || result === null || typeof result !== 'object' || !('statusCode' in result)) {
      capture.errors.add('Return statement missing. return context.res.empty() if no response is expected.\n');
      return reply(req.id, capture, 500, {}, '', req.startedAt);
    }
    return reply(req.id, capture, result.statusCode, result.headers, result.body, req.startedAt);
  } catch (error) {
    capture.errors.add((error && error.stack ? error.stack : String(error)) + '\n');
    return reply(req.id, capture, 500, {}, '', req.startedAt);
  }
}

function handle(handler, req, bodyBuffer) {
  const capture = { logs: new Capture(), errors: new Capture() };
  if (requestScope) return requestScope.run(capture, () => run(handler, req, bodyBuffer, capture));
  logs = capture.logs; errors = capture.errors;
  return run(handler, req, bodyBuffer, capture);
}

// Reads request frames off one connection: one at a time, in order, or (FP_CONCURRENCY > 1) each as soon as it arrives,
// answered as it finishes; the executor never sends more than the concurrency at once.
function serve(handler, socket, rest) {
  let chunks = rest && rest.length ? [rest] : [];
  let size = rest ? rest.length : 0;
  let busy = false;
  const next = () => {
    if (busy || size < 8) return;
    const buffer = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
    chunks = [buffer];
    const headLength = buffer.readUInt32BE(0);
    const end = 8 + headLength + buffer.readUInt32BE(4);
    if (size < end) return;
    const req = parseRequest(buffer.toString('utf8', 8, 8 + headLength));
    const body = Buffer.from(buffer.subarray(8 + headLength, end));
    chunks = size > end ? [buffer.subarray(end)] : [];
    size -= end;
    if (requestScope) {
      handle(handler, req, body).then((frame) => socket.write(frame));
      next();
      return;
    }
    busy = true;
    handle(handler, req, body).then((frame) => {
      socket.write(frame);
      busy = false;
      next();
    });
  };
  socket.on('data', (chunk) => { chunks.push(chunk); size += chunk.length; next(); });
  socket.on('error', () => socket.destroy());
  socket.resume();
  next();
}

// Generic mode: the connection's first frame is the specialization; nothing else is served before it succeeded.
let specialized = null;
function specializeOn(socket) {
  let chunks = [];
  let size = 0;
  const onData = (chunk) => {
    chunks.push(chunk); size += chunk.length;
    if (size < 8) return;
    const buffer = Buffer.concat(chunks, size);
    chunks = [buffer];
    const headLength = buffer.readUInt32BE(0);
    const end = 8 + headLength + buffer.readUInt32BE(4);
    if (size < end) return;
    socket.removeListener('data', onData);
    // The first request may follow the load frame at once: hold what arrives while the entrypoint loads (a flowing
    // socket with no listener would drop it); serve() resumes.
    socket.pause();
    specialize(buffer.toString('utf8', 8, 8 + headLength).split('\0'), socket, buffer.subarray(end));
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
}

async function specialize(fields, socket, rest) {
  const [id, tag, path, concurrency, , ...pairs] = fields;
  if (specialized || id !== '0' || tag !== 'FP-LOAD' || !path || pairs.length % 2 !== 0) {
    fs.writeSync(2, 'The first frame of a generic process must be its one specialization.\n');
    process.exit(3);
  }
  specialized = true;
  // The boot environment (identical for every generic process) is replaced whole by the function's.
  for (const name of Object.keys(process.env)) delete process.env[name];
  for (let i = 0; i < pairs.length; i += 2) process.env[pairs[i]] = pairs[i + 1];
  entrypoint = path;
  process.argv.push(path);
  configure(concurrency);
  let handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    const capture = { logs: new Capture(), errors: new Capture() };
    capture.errors.add(`Failed to load ${require('node:path').basename(entrypoint)}: ${error && error.stack ? error.stack : String(error)}\n`);
    socket.end(reply('0', capture, 500, {}, ''), () => process.exit(3));
    return;
  }
  socket.write(reply('0', { logs: new Capture(), errors: new Capture() }, 200, {}, ''));
  serve(handler, socket, rest);
}

async function main() {
  if (generic) {
    // Booting is off the cold path here: load now what loading and the first call would load, and run one request
    // through the request path (framing, context, JSON reply) so its code is compiled before any function's first call.
    require('node:path'); require('node:url');
    const rehearsal = { kind: 'context', fn: async (context) => { context.log(context.req.body); return context.res.json({ ok: context.req.bodyText }); } };
    await handle(rehearsal, parseRequest('0\0POST\0/\0content-type\0application/json'), Buffer.from('{"boot":1}'));
    logs = new Capture(); errors = new Capture();
    net.createServer((socket) => (specialized ? socket.destroy() : specializeOn(socket))).listen(socketPath, () => fs.writeSync(1, 'FP-READY\n'));
    return;
  }
  let handler;
  try { handler = await loadHandler(); } catch (error) { loadFailed(error); return; }
  net.createServer((socket) => serve(handler, socket)).listen(socketPath, () => fs.writeSync(1, 'FP-READY\n'));
}

process.on('unhandledRejection', (error) => current().errors.add(`Unhandled rejection: ${error && error.stack ? error.stack : error}\n`));
main();
