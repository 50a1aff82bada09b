// Greets the caller: GET answers "Hello, world!", a JSON body with a name is greeted by that name.
module.exports = async ({ req, res, log }) => {
  const name = req.method !== 'GET' && req.bodyText ? (JSON.parse(req.bodyText).name || 'world') : 'world';
  log(`greeting ${name}`);
  return res.json({ message: `Hello, ${name}!`, runtime: 'node' });
};
