// Starts GraphiQL on this server's endpoint, with the explorer plugin, the headers editor
// (for API keys) and an example query of the built-in catalog.
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
  var fetcher = GraphiQL.createFetcher({ url: window.location.origin + '/graphql' });
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
