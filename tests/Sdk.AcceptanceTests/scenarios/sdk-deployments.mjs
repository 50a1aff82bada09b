// Deployments through the real node-appwrite 27.1.0: upload a small node function as a .tar.gz, wait for its build,
// list, download and delete it, and upload an archive over 5 MiB so the SDK uses Appwrite's chunked protocol
// (chunks 2..n in parallel). Prints one JSON object of what came back; the C# test asserts on it.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Client, Functions, ID } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';

const client = new Client().setEndpoint(process.env.ENDPOINT).setProject(process.env.PROJECT).setKey(process.env.KEY);
const functions = new Functions(client);

/** A ustar archive of regular files (name ≤ 100 bytes), gzipped: what `tar czf` of the source root gives. */
function tarGz(files) {
  const blocks = [];
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    header.write(Math.floor(Date.now() / 1000).toString(8).padStart(11, '0') + '\0', 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0' + '00', 257);
    const sum = header.reduce((a, b) => a + b, 0);
    header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

async function failure(call) {
  try {
    await call();
    return { code: 0, type: 'no error' };
  } catch (error) {
    return { code: error.code, type: error.type, message: error.message };
  }
}

async function waitForBuild(functionId, deploymentId) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const deployment = await functions.getDeployment({ functionId, deploymentId });
    if (['ready', 'failed', 'canceled'].includes(deployment.status) || Date.now() > deadline) return deployment;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const code = "module.exports = async ({ res }) => res.json({ from: 'sdk-deployment', answer: 42 });";
const out = {};
const runtime = (await functions.listRuntimes()).runtimes.map((r) => r.$id).find((id) => id.startsWith('node-'));
const functionId = ID.unique();
await functions.create({ functionId, name: 'sdk-deploy', runtime, entrypoint: 'index.js' });

const small = tarGz({ 'index.js': code });
out.smallSize = small.length;
out.created = await functions.createDeployment({
  functionId, code: InputFile.fromBuffer(small, 'code.tar.gz'), activate: true, entrypoint: 'index.js', commands: 'echo sdk-build > built.txt',
});
out.ready = await waitForBuild(functionId, out.created.$id);
out.function = await functions.get({ functionId });

const large = tarGz({ 'index.js': code, 'padding.bin': randomBytes(6 * 1024 * 1024 + 12345) });
out.largeSize = large.length;
out.chunked = await functions.createDeployment({ functionId, code: InputFile.fromBuffer(large, 'code.tar.gz'), activate: false });
out.chunkedReady = await waitForBuild(functionId, out.chunked.$id);
const downloaded = Buffer.from(await functions.getDeploymentDownload({ functionId, deploymentId: out.chunked.$id }));
out.downloadMatches = downloaded.equals(large);

out.list = await functions.listDeployments({ functionId });
out.largeOnly = await functions.listDeployments({ functionId, queries: ['{"method":"greaterThan","attribute":"sourceSize","values":[5242880]}'] });
out.search = await failure(() => functions.listDeployments({ functionId, search: 'x' }));
out.activated = await functions.updateFunctionDeployment({ functionId, deploymentId: out.chunked.$id });
out.canceledReady = await failure(() => functions.updateDeploymentStatus({ functionId, deploymentId: out.created.$id }));
out.deleted = await functions.deleteDeployment({ functionId, deploymentId: out.created.$id });
out.gone = await failure(() => functions.getDeployment({ functionId, deploymentId: out.created.$id }));
out.badType = await failure(() => functions.createDeployment({ functionId, code: InputFile.fromBuffer(small, 'code.zip'), activate: false }));
await functions.delete({ functionId });
console.log(JSON.stringify(out));
