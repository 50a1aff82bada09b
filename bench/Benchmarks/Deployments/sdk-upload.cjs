// Uploads one archive with node-appwrite 27.1.0's functions.createDeployment (its own chunking: 5 MiB chunks, the first
// alone, then up to 8 at once) and prints {"ms":…,"bytes":…,"id":…} on one line. Driven by the `deploy` bench suite:
//   node sdk-upload.cjs <endpoint> <project> <key> <functionId> <archive path> <rounds>
// The SDK comes from the acceptance project (`cd tests/Sdk.AcceptanceTests && npm ci`).
const path = require('node:path');
const fs = require('node:fs');
const sdk = path.join(__dirname, '../../../tests/Sdk.AcceptanceTests/node_modules/node-appwrite');
const { Client, Functions } = require(sdk);
const { InputFile } = require(path.join(sdk, 'dist/inputFile.js')); // the package's 'node-appwrite/file' export

async function main() {
  const [endpoint, project, key, functionId, archivePath, rounds = '1'] = process.argv.slice(2);
  const client = new Client().setEndpoint(endpoint).setProject(project).setKey(key);
  const functions = new Functions(client);
  // In memory, so the figure is the upload's, not the client's disk reads.
  const archive = fs.readFileSync(archivePath);
  for (let i = 0; i < Number(rounds); i++) {
    const started = performance.now();
    const deployment = await functions.createDeployment(functionId, InputFile.fromBuffer(archive, 'code.tar.gz'), false);
    const ms = performance.now() - started;
    console.log(JSON.stringify({ ms, bytes: archive.length, id: deployment.$id }));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
