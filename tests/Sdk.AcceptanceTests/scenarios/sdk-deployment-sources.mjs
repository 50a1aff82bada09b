// Deployments the server makes from a source it fetches, through the real node-appwrite 27.1.0: a duplicate of an
// uploaded deployment, a catalogue template, and a git branch of a local repository the test created (REPO). Each is
// awaited until ready and executed. Prints one JSON object of what came back; the C# test asserts on it.
import { gzipSync } from 'node:zlib';
import { Client, Functions, ID, TemplateReferenceType, VCSReferenceType } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';

const client = new Client().setEndpoint(process.env.ENDPOINT).setProject(process.env.PROJECT).setKey(process.env.KEY);
const functions = new Functions(client);

/** A ustar archive of one regular file, gzipped. */
function tarGz(name, content) {
  const data = Buffer.from(content);
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
  return gzipSync(Buffer.concat([header, data, Buffer.alloc((512 - (data.length % 512)) % 512), Buffer.alloc(1024)]));
}

async function failure(call) {
  try {
    await call();
    return { code: 0, type: 'no error' };
  } catch (error) {
    return { code: error.code, type: error.type, message: error.message };
  }
}

async function readyThenRun(functionId, deploymentId, run = true) {
  const deadline = Date.now() + 60_000;
  let deployment;
  for (;;) {
    deployment = await functions.getDeployment({ functionId, deploymentId });
    if (['ready', 'failed', 'canceled'].includes(deployment.status) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const execution = run && deployment.status === 'ready' ? await functions.createExecution({ functionId, body: '{"name":"SDK"}', method: 'POST', headers: { 'content-type': 'application/json' } }) : null;
  return { deployment, response: execution ? JSON.parse(execution.responseBody || 'null') : null, status: execution?.status };
}

const out = {};
const runtime = (await functions.listRuntimes()).runtimes.map((r) => r.$id).find((id) => id.startsWith('node-'));

// Duplicate: the same source rebuilt with the function's current commands.
const dupFn = ID.unique();
await functions.create({ functionId: dupFn, name: 'sdk-duplicate', runtime, entrypoint: 'index.js' });
const uploaded = await functions.createDeployment({
  functionId: dupFn,
  code: InputFile.fromBuffer(tarGz('index.js', "module.exports = async ({ res }) => res.json({ from: 'upload' });"), 'code.tar.gz'),
  activate: false,
});
await readyThenRun(dupFn, uploaded.$id, false); // not active: nothing to execute yet
const duplicate = await functions.createDuplicateDeployment({ functionId: dupFn, deploymentId: uploaded.$id });
out.duplicate = { created: duplicate, ...(await readyThenRun(dupFn, duplicate.$id)) };
out.duplicateMissing = await failure(() => functions.createDuplicateDeployment({ functionId: dupFn, deploymentId: 'nope' }));

// Template: the catalogue's node hello world.
const templateFn = ID.unique();
await functions.create({ functionId: templateFn, name: 'sdk-template', runtime });
const fromTemplate = await functions.createTemplateDeployment({
  functionId: templateFn, repository: 'templates', owner: 'functions-platform', rootDirectory: 'node/hello-world',
  type: TemplateReferenceType.Tag, reference: '1.0.0', activate: true,
});
out.template = { created: fromTemplate, ...(await readyThenRun(templateFn, fromTemplate.$id)) };
out.templateMissing = await failure(() => functions.createTemplateDeployment({
  functionId: templateFn, repository: 'templates', owner: 'functions-platform', rootDirectory: 'node/nope',
  type: TemplateReferenceType.Tag, reference: '1.0.0',
}));

// Git: a branch of the repository the function is connected to.
const gitFn = ID.unique();
await functions.create({
  functionId: gitFn, name: 'sdk-git', runtime, entrypoint: 'index.js',
  installationId: 'local', providerRepositoryId: process.env.REPO, providerBranch: 'main', providerRootDirectory: 'app',
});
const fromGit = await functions.createVcsDeployment({ functionId: gitFn, type: VCSReferenceType.Branch, reference: 'main', activate: true });
out.vcs = { created: fromGit, ...(await readyThenRun(gitFn, fromGit.$id)) };
out.vcsTag = await failure(() => functions.createVcsDeployment({ functionId: gitFn, type: VCSReferenceType.Tag, reference: 'v1' }));
out.vcsInjection = await failure(() => functions.createVcsDeployment({ functionId: gitFn, type: VCSReferenceType.Branch, reference: '--upload-pack=touch /tmp/fp-sdk-pwned' }));

console.log(JSON.stringify(out));
