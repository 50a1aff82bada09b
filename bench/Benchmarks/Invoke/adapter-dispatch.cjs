// Adapter CPU per call by dispatch pattern, no sandbox, no API: N node adapters serving an echo function, TOTAL requests
// in flight (default 8), at most DEPTH written to one adapter at a time (1 = a process per request in flight).
// usage (from the repository root): node bench/Benchmarks/Invoke/adapter-dispatch.cjs <processes> <depth> [seconds]
const { spawn } = require('child_process'); const net = require('net'); const fs = require('fs');
const [procs, depth, seconds] = [Number(process.argv[2]), Number(process.argv[3]), Number(process.argv[4] || 5)];
const os = require('os'); const path = require('path');
const adapter = path.resolve(__dirname, '../../../src/Infrastructure/Runtime/Adapters/node/adapter.cjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-dispatch-'));
fs.writeFileSync(path.join(dir, 'fn.js'), "module.exports = async ({ req, res }) => res.json({ ok: true, echo: req.bodyText });\n");
const total = Number(process.env.TOTAL || 8); // concurrent clients overall
function frame(id) {
  const head = Buffer.from([String(id), 'POST', '/', 'content-type', 'application/json', 'host', 'localhost'].join('\0'));
  const body = Buffer.from('{"hello":"world"}');
  const p = Buffer.alloc(8); p.writeUInt32BE(head.length, 0); p.writeUInt32BE(body.length, 4);
  return Buffer.concat([p, head, body]);
}
function cpu(pid) { const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return (Number(f[11]) + Number(f[12])) / 100; }
async function start(i) {
  const sock = path.join(dir, `s${i}.sock`);
  const child = spawn('node', [adapter, sock, path.join(dir, 'fn.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => child.stdout.on('data', (d) => { if (String(d).includes('FP-READY')) r(); }));
  const c = net.connect(sock); await new Promise((r) => c.on('connect', r));
  const st = { child, c, buf: Buffer.alloc(0), waiting: [], inflight: 0 };
  c.on('data', (d) => { st.buf = Buffer.concat([st.buf, d]); while (st.buf.length >= 8) { const e = 8 + st.buf.readUInt32BE(0) + st.buf.readUInt32BE(4); if (st.buf.length < e) break; st.buf = st.buf.subarray(e); st.inflight--; st.waiting.shift()(); } });
  return st;
}
(async () => {
  const ps = []; for (let i = 0; i < procs; i++) ps.push(await start(i));
  let id = 1, count = 0, stop = false; const queue = [];
  // dispatcher: each client sends a request to a process with inflight < depth (prefer lowest index = LIFO-ish hot), else waits
  const send = (p) => new Promise((r) => { p.inflight++; p.waiting.push(r); p.c.write(frame(id++)); });
  const pick = () => { let best = null; for (const p of ps) if (p.inflight < depth && (!best || p.inflight < best.inflight)) best = p; return best; };
  const release = () => { while (queue.length) { const p = pick(); if (!p) break; queue.shift()(p); } };
  const acquire = () => { const p = pick(); return p ? Promise.resolve(p) : new Promise((r) => queue.push(r)); };
  const before = ps.map((p) => cpu(p.child.pid)); const t0 = Date.now();
  setTimeout(() => { stop = true; }, seconds * 1000);
  await Promise.all(Array.from({ length: total }, async () => { while (!stop) { const p = await acquire(); await send(p); count++; setImmediate(release); } }));
  const used = ps.reduce((s, p, i) => s + cpu(p.child.pid) - before[i], 0);
  console.log(`procs ${procs} depth ${depth} clients ${total}: ${(count / ((Date.now() - t0) / 1000)).toFixed(0)}/s, adapter CPU ${(used * 1e6 / count).toFixed(1)} us/call`);
  ps.forEach((p) => p.child.kill()); fs.rmSync(dir, { recursive: true, force: true }); process.exit(0);
})();
