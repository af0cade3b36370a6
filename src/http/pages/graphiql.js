// Starts GraphiQL on this server's endpoint, with the explorer plugin, the headers editor
// (for API keys) and an example query of the built-in catalog. Subscriptions run over a
// WebSocket at the same endpoint (graphql-transport-ws); the headers editor's headers go in
// its connection_init, so `{"Authorization": "Bearer <key>"}` works for both.
(function () {
  var example = [
    '# What a Backend Developer needs, with the languages and frameworks of each skill.',
    '# Press the run button (or Ctrl-Enter) to send it.',
    '{',
    '  role(slug: "backend-developer") {',
    '    name',
    '    skills(first: 5, importance: ESSENTIAL) {',
    '      totalCount',
    '      edges {',
    '        importance',
    '        level',
    '        node {',
    '          name',
    '          languages(first: 3) {',
    '            nodes {',
    '              name',
    '              frameworks(first: 3) { nodes { name } }',
    '            }',
    '          }',
    '        }',
    '      }',
    '    }',
    '  }',
    '}',
    ''
  ].join('\n');
  var http = GraphiQL.createFetcher({ url: window.location.origin + '/graphql' });
  var socketUrl = window.location.origin.replace(/^http/, 'ws') + '/graphql';

  // The type of the operation GraphiQL is about to run, read from the text it sends (the
  // parsed document GraphiQL passes along can still be the previous one's right after an
  // edit): the top-level operations, outside strings and comments, and the one named by
  // `operationName` or else the first.
  function operationType(params) {
    var text = (params.query || '').replace(/"""[\s\S]*?"""|"(?:\\.|[^"\\\n])*"|#[^\n]*/g, ' ');
    var tokens = /[{}]|[_A-Za-z][_0-9A-Za-z]*/g;
    var operations = [];
    var current = null;
    var depth = 0;
    var token;
    while ((token = tokens.exec(text))) {
      var word = token[0];
      if (word === '{') {
        if (depth === 0) {
          operations.push(current || { type: 'query', name: null });
          current = null;
        }
        depth += 1;
      } else if (word === '}') {
        depth = Math.max(0, depth - 1);
      } else if (depth === 0) {
        if (/^(query|mutation|subscription|fragment)$/.test(word)) {
          current = { type: word, name: null };
        } else if (current && current.name === null) {
          current.name = word;
        }
      }
    }
    var runnable = operations.filter(function (o) { return o.type !== 'fragment'; });
    var chosen = runnable.find(function (o) {
      return !params.operationName || o.name === params.operationName;
    });
    return chosen ? chosen.type : 'query';
  }

  // One subscription over its own socket, as an async iterator of results; GraphiQL closes it
  // (return()) when the user stops it.
  function subscribe(params, headers) {
    var socket = new WebSocket(socketUrl, 'graphql-transport-ws');
    var queue = [];
    var waiting = null;
    var finished = false;
    function push(item) {
      if (waiting) { var resolve = waiting; waiting = null; resolve(item); } else { queue.push(item); }
    }
    function finish(error) {
      if (finished) return;
      finished = true;
      if (error) push({ value: { errors: [{ message: error }] }, done: false });
      push({ value: undefined, done: true });
    }
    socket.onopen = function () {
      socket.send(JSON.stringify({ type: 'connection_init', payload: headers || {} }));
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: params }));
      } else if (message.type === 'next') {
        push({ value: message.payload, done: false });
      } else if (message.type === 'error') {
        push({ value: { errors: message.payload }, done: false });
        finish();
      } else if (message.type === 'complete') {
        finish();
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      }
    };
    socket.onclose = function (event) {
      finish(event.code === 1000 ? null : 'the connection closed: ' + (event.reason || event.code));
    };
    var iterator = {
      next: function () {
        if (queue.length) return Promise.resolve(queue.shift());
        if (finished) return Promise.resolve({ value: undefined, done: true });
        return new Promise(function (resolve) { waiting = resolve; });
      },
      return: function () {
        finished = true;
        socket.close(1000);
        return Promise.resolve({ value: undefined, done: true });
      }
    };
    iterator[Symbol.asyncIterator] = function () { return iterator; };
    return iterator;
  }

  function fetcher(params, opts) {
    if (operationType(params) === 'subscription') {
      return subscribe(params, opts && opts.headers);
    }
    return http(params, opts);
  }
  var explorer = GraphiQLPluginExplorer.explorerPlugin();
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: example,
      plugins: [explorer],
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false
    })
  );
})();
