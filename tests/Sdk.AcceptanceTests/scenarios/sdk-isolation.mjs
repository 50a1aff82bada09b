// Two workspaces, two keys: B's key cannot see, change or delete A's function, even naming A's project.
import { Client, Functions, ID } from 'node-appwrite';

const a = new Functions(new Client().setEndpoint(process.env.ENDPOINT).setProject(process.env.PROJECT_A).setKey(process.env.KEY_A));
const b = new Functions(new Client().setEndpoint(process.env.ENDPOINT).setProject(process.env.PROJECT_B).setKey(process.env.KEY_B));
const bIntoA = new Functions(new Client().setEndpoint(process.env.ENDPOINT).setProject(process.env.PROJECT_A).setKey(process.env.KEY_B));

async function failure(call) {
  try {
    await call();
    return { code: 0, type: 'no error' };
  } catch (error) {
    return { code: error.code, type: error.type };
  }
}

const runtime = (await a.listRuntimes()).runtimes.find((r) => r.key === 'node').$id;
const fn = await a.create({ functionId: ID.unique(), name: 'a-only', runtime });
const out = {
  get: await failure(() => b.get({ functionId: fn.$id })),
  update: await failure(() => b.update({ functionId: fn.$id, name: 'stolen' })),
  remove: await failure(() => b.delete({ functionId: fn.$id })),
  variables: await failure(() => b.listVariables({ functionId: fn.$id })),
  otherProject: await failure(() => bIntoA.get({ functionId: fn.$id })),
  stillThere: (await a.get({ functionId: fn.$id })).name,
};
console.log(JSON.stringify(out));
