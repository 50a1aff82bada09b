// Project variables through node-appwrite's Project service: CRUD, secrets, errors, and a function seeing them
// under its own variables.
import { Client, Functions, Project, ID } from 'node-appwrite';

const client = new Client().setEndpoint(process.env.ENDPOINT).setProject(process.env.PROJECT).setKey(process.env.KEY);
const project = new Project(client);
const functions = new Functions(client);

async function failure(call) {
  try {
    await call();
    return { code: 0, type: 'no error' };
  } catch (error) {
    return { code: error.code, type: error.type };
  }
}

const env = async () => {
  const run = await functions.createExecution({ functionId: process.env.FUNCTION_ID, body: '' });
  return JSON.parse(run.responseBody);
};

const out = {};
out.created = await project.createVariable({ variableId: ID.unique(), key: 'SHARED', value: 'from-project', secret: false });
out.secret = await project.createVariable({ variableId: 'both', key: 'BOTH', value: 'project-value' });
out.list = await project.listVariables();
out.seen = await env();
await functions.createVariable({ functionId: process.env.FUNCTION_ID, variableId: ID.unique(), key: 'BOTH', value: 'function-value' });
out.updated = await project.updateVariable({ variableId: out.created.$id, key: 'SHARED', value: 'changed' });
out.seenAfter = await env();
out.read = await project.getVariable({ variableId: 'both' });
out.duplicate = await failure(() => project.createVariable({ variableId: ID.unique(), key: 'SHARED', value: 'x' }));
out.unsetSecret = await failure(() => project.updateVariable({ variableId: 'both', secret: false }));
await project.deleteVariable({ variableId: out.created.$id });
out.gone = await failure(() => project.getVariable({ variableId: out.created.$id }));
out.seenLast = await env();
console.log(JSON.stringify(out));
