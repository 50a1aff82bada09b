// A scheduled job: the scheduler calls it with the trigger header "schedule"; it does its work and reports.
module.exports = async ({ req, res, log }) => {
  const trigger = req.headers['x-appwrite-trigger'] || 'http';
  const startedAt = new Date().toISOString();
  log(`job started at ${startedAt} (trigger: ${trigger})`);
  const processed = [1, 2, 3].map((n) => n * n).reduce((a, b) => a + b, 0);
  return res.json({ job: 'done', trigger, startedAt, processed });
};
