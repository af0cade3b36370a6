// Starts GraphQL Playground on this server's endpoint with an example query of the catalog.
window.addEventListener('load', function () {
  var endpoint = window.location.origin + '/graphql';
  GraphQLPlayground.init(document.getElementById('root'), {
    endpoint: endpoint,
    settings: { 'request.credentials': 'same-origin', 'schema.polling.enable': false },
    tabs: [
      {
        endpoint: endpoint,
        name: 'Example',
        query:
          '{\n  role(slug: "backend-developer") {\n    name\n    languages { nodes { name } }\n' +
          '    tools(category: DATABASE) { nodes { name } }\n  }\n}\n'
      }
    ]
  });
});
