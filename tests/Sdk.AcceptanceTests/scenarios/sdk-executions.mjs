// Executions and the function list through node-appwrite 27.1.0: FUNCTION_ID already has code (put in through /api).
import { Client, Functions, Query, ExecutionMethod } from 'node-appwrite';

const functions = new Functions(new Client().setEndpoint(process.env.ENDPOINT).setProject(process.env.PROJECT).setKey(process.env.KEY));
const functionId = process.env.FUNCTION_ID;

async function failure(call) {
  try {
    await call();
    return { code: 0, type: 'no error' };
  } catch (error) {
    return { code: error.code, type: error.type };
  }
}

const sync = await functions.createExecution({
  functionId, body: '{"a":1}', async: false, xpath: '/echo?x=1', method: ExecutionMethod.PUT, headers: { 'x-custom': 'v' },
});
const queued = await functions.createExecution({ functionId, async: true, body: 'later' });
let polled = queued;
for (let i = 0; i < 300 && (polled.status === 'waiting' || polled.status === 'processing'); i++) {
  await new Promise((r) => setTimeout(r, 100));
  polled = await functions.getExecution({ functionId, executionId: queued.$id });
}

const gets = await functions.listExecutions({ functionId, queries: [Query.equal('requestMethod', ['PUT']), Query.limit(5)] });
const all = await functions.listExecutions({ functionId, queries: [Query.orderDesc('$createdAt')] });
const afterFirst = await functions.listExecutions({ functionId, queries: [Query.cursorAfter(sync.$id)] });
const uncounted = await functions.listExecutions({ functionId, total: false });
const deleted = await functions.deleteExecution({ functionId, executionId: sync.$id });
const afterDelete = await functions.listExecutions({ functionId });

const ids = (list) => list.functions.map((f) => f.$id);
const out = {
  sync, queued, polled,
  gets: gets.executions.map((e) => e.$id), getsTotal: gets.total,
  all: all.executions.map((e) => e.$id), allTotal: all.total,
  afterFirst: afterFirst.executions.map((e) => e.$id),
  uncountedTotal: uncounted.total, uncountedCount: uncounted.executions.length,
  deleted, afterDelete: afterDelete.executions.map((e) => e.$id),
  executionGone: await failure(() => functions.getExecution({ functionId, executionId: sync.$id })),
  badQuery: await failure(() => functions.listExecutions({ functionId, queries: [Query.equal('logs', ['x'])] })),
  badCursor: await failure(() => functions.listExecutions({ functionId, queries: [Query.cursorAfter('exe_missing')] })),
  badMethod: await failure(() => functions.createExecution({ functionId, method: 'TRACE' })),
  missingFunction: await failure(() => functions.createExecution({ functionId: 'missing' })),
  functionsAll: ids(await functions.list()),
  functionsEqual: ids(await functions.list({ queries: [Query.equal('name', ['sdk-exec-b'])] })),
  functionsSearch: ids(await functions.list({ search: 'SDK-EXEC' })),
  functionsPage: ids(await functions.list({ queries: [Query.limit(1), Query.offset(1)] })),
  functionsAfter: ids(await functions.list({ queries: [Query.cursorAfter(functionId)] })),
};
console.log(JSON.stringify(out));
