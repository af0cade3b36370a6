// Starts GraphQL Playground on this server's endpoint with an example query of the catalog;
// its subscriptions use the legacy graphql-ws protocol, which the endpoint also speaks.
window.addEventListener('load', function () {
  var endpoint = window.location.origin + '/graphql';
  GraphQLPlayground.init(document.getElementById('root'), {
    endpoint: endpoint,
    subscriptionEndpoint: endpoint.replace(/^http/, 'ws'),
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
