// Uploads one archive with node-appwrite 27.1.0's functions.createDeployment (its own chunking: 5 MiB chunks, the first
// alone, then up to 8 at once) and prints {"ms":…,"bytes":…,"id":…,"cpuMs":…,"serverCpuMs":…} per upload: its own CPU
// time and the server's (when its pid is given). Driven by the `deploy` bench suite:
//   node sdk-upload.cjs <endpoint> <project> <key> <functionId> <archive path> <rounds> [server pid]
// The SDK comes from the acceptance project (`cd tests/Sdk.AcceptanceTests && npm ci`).
const path = require('node:path');
const fs = require('node:fs');
const sdk = path.join(__dirname, '../../../tests/Sdk.AcceptanceTests/node_modules/node-appwrite');
const { Client, Functions } = require(sdk);
const { InputFile } = require(path.join(sdk, 'dist/inputFile.js')); // the package's 'node-appwrite/file' export

/** User + system CPU ms of a process so far (Linux /proc, 10 ms clock ticks); 0 without a pid. */
function processCpuMs(pid) {
  if (!pid) return 0;
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main() {
  const [endpoint, project, key, functionId, archivePath, rounds = '1', serverPid = ''] = process.argv.slice(2);
  const client = new Client().setEndpoint(endpoint).setProject(project).setKey(key);
  const functions = new Functions(client);
  // In memory, so the figure is the upload's, not the client's disk reads.
  const archive = fs.readFileSync(archivePath);
  for (let i = 0; i < Number(rounds); i++) {
    const cpu = process.cpuUsage();
    const serverCpu = processCpuMs(serverPid);
    const started = performance.now();
    const deployment = await functions.createDeployment(functionId, InputFile.fromBuffer(archive, 'code.tar.gz'), false);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    console.log(JSON.stringify({ ms, bytes: archive.length, id: deployment.$id, cpuMs, serverCpuMs: processCpuMs(serverPid) - serverCpu }));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
