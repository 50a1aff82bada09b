// A small JSON API: routes by method and path; every answer, errors included, is JSON.
const items = [
  { id: 1, name: 'first' },
  { id: 2, name: 'second' },
];

module.exports = async ({ req, res }) => {
  if (req.method === 'GET' && req.path === '/items') {
    return res.json({ total: items.length, items });
  }

  const one = /^\/items\/(\d+)$/.exec(req.path);
  if (req.method === 'GET' && one) {
    const item = items.find((i) => i.id === Number(one[1]));
    return item ? res.json(item) : res.json({ error: 'not_found' }, 404);
  }

  if (req.method === 'POST' && req.path === '/echo') {
    let body;
    try {
      body = JSON.parse(req.bodyText || '{}');
    } catch {
      return res.json({ error: 'invalid_json' }, 400);
    }
    return res.json({ echo: body, prefix: process.env.API_GREETING || 'echo' });
  }

  return res.json({ error: 'route_not_found', method: req.method, path: req.path }, 404);
};
