// Every /v1 route of this slice through the real node-appwrite 27.1.0, as an application would call it.
// Prints one JSON object of what came back; the C# test asserts on it.
import { Client, Functions, ID } from 'node-appwrite';

const client = new Client().setEndpoint(process.env.ENDPOINT).setProject(process.env.PROJECT).setKey(process.env.KEY);
const functions = new Functions(client);

async function failure(call) {
  try {
    await call();
    return { code: 0, type: 'no error' };
  } catch (error) {
    return { code: error.code, type: error.type, message: error.message };
  }
}

const out = {};
out.ping = await client.ping();
const runtimes = await functions.listRuntimes();
out.runtimes = runtimes.runtimes.map((r) => r.$id);
const runtime = out.runtimes.find((id) => id.startsWith('node-'));
out.specifications = (await functions.listSpecifications()).specifications.map((s) => s.slug);

const functionId = ID.unique();
out.created = await functions.create({
  functionId, name: 'sdk-fn', runtime, execute: ['any', 'users/verified'], events: ['users.*.create'],
  schedule: '*/5 * * * *', timeout: 30, enabled: true, logging: false, entrypoint: 'index.js', commands: 'npm install',
  scopes: ['users.read'], buildSpecification: out.specifications[0], runtimeSpecification: out.specifications[0],
});
out.generated = await functions.create({ functionId: 'unique()', name: 'generated', runtime });
out.got = await functions.get({ functionId });
out.updated = await functions.update({ functionId, name: 'sdk-fn-2', timeout: 45 });

out.variable = await functions.createVariable({ functionId, variableId: ID.unique(), key: 'PLAIN', value: 'visible', secret: false });
out.secret = await functions.createVariable({ functionId, variableId: ID.unique(), key: 'TOKEN', value: 'hidden' });
out.variables = await functions.listVariables({ functionId });
out.variableRead = await functions.getVariable({ functionId, variableId: out.variable.$id });
out.variableUpdated = await functions.updateVariable({ functionId, variableId: out.variable.$id, key: 'PLAIN', value: 'changed' });
out.duplicateKey = await failure(() => functions.createVariable({ functionId, variableId: ID.unique(), key: 'TOKEN', value: 'x' }));
out.unsetSecret = await failure(() => functions.updateVariable({ functionId, variableId: out.secret.$id, key: 'TOKEN', secret: false }));
out.variableDeleted = await functions.deleteVariable({ functionId, variableId: out.variable.$id });
out.variableGone = await failure(() => functions.getVariable({ functionId, variableId: out.variable.$id }));

out.badTimeout = await failure(() => functions.create({ functionId: ID.unique(), name: 'bad', runtime, timeout: 901 }));
out.badId = await failure(() => functions.create({ functionId: '_bad', name: 'bad', runtime }));
out.badCron = await failure(() => functions.create({ functionId: ID.unique(), name: 'bad', runtime, schedule: 'not a cron' }));
out.badRuntime = await failure(() => functions.create({ functionId: ID.unique(), name: 'bad', runtime: 'dart-3.5' }));
out.duplicateId = await failure(() => functions.create({ functionId, name: 'dup', runtime }));

out.deleted = await functions.delete({ functionId });
out.gone = await failure(() => functions.get({ functionId }));
await functions.delete({ functionId: out.generated.$id });
console.log(JSON.stringify(out));
