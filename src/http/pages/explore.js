// The roadmap explorer: reads the catalog through the GraphQL API like any client, and shows
// the server's diagram of the chosen role beside its languages, frameworks and tools.
(function () {
  async function graphql(query, variables) {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: query, variables: variables || {} })
    });
    const answer = await response.json();
    if (answer.errors) throw new Error(answer.errors.map(function (e) { return e.message; }).join('; '));
    return answer.data;
  }

  function item(text, optional) {
    const li = document.createElement('li');
    li.textContent = text;
    if (optional) li.className = 'optional';
    return li;
  }

  const ROLE = 'query Role($slug: String!) { role(slug: $slug) { name description ' +
    'languages(first: 50) { edges { importance node { name frameworks(first: 20) { nodes { name } } } } } ' +
    'tools(first: 50) { edges { importance node { name category } } } } }';

  async function show(slug) {
    const diagram = document.getElementById('diagram');
    diagram.textContent = 'Drawing…';
    const url = '/roles/' + encodeURIComponent(slug) + '/roadmap.svg';
    document.getElementById('svg-link').href = url;
    history.replaceState(null, '', '?role=' + encodeURIComponent(slug));
    const [svg, data] = await Promise.all([
      fetch(url).then(function (r) { return r.text(); }),
      graphql(ROLE, { slug: slug })
    ]);
    diagram.innerHTML = svg;
    const role = data.role;
    document.getElementById('role-name').textContent = role.name;
    document.getElementById('role-description').textContent = role.description;
    const languages = document.getElementById('languages');
    languages.replaceChildren();
    role.languages.edges.forEach(function (edge) {
      const frameworks = edge.node.frameworks.nodes.map(function (f) { return f.name; });
      const text = edge.node.name + (frameworks.length ? ' → ' + frameworks.join(', ') : '');
      languages.appendChild(item(text, edge.importance === 'OPTIONAL'));
    });
    const tools = document.getElementById('tools');
    tools.replaceChildren();
    role.tools.edges.forEach(function (edge) {
      const category = edge.node.category.toLowerCase().replace(/_/g, ' ');
      tools.appendChild(item(edge.node.name + ' (' + category + ')', edge.importance === 'OPTIONAL'));
    });
  }

  async function start() {
    const data = await graphql('{ roles(first: 100) { nodes { slug name } } }');
    const select = document.getElementById('role');
    data.roles.nodes.forEach(function (role) {
      const option = document.createElement('option');
      option.value = role.slug;
      option.textContent = role.name;
      select.appendChild(option);
    });
    const asked = new URLSearchParams(location.search).get('role');
    const slugs = data.roles.nodes.map(function (r) { return r.slug; });
    select.value = slugs.indexOf(asked) >= 0 ? asked
      : (slugs.indexOf('backend-developer') >= 0 ? 'backend-developer' : slugs[0]);
    select.addEventListener('change', function () { show(select.value); });
    if (select.value) await show(select.value);
  }

  start().catch(function (error) {
    document.getElementById('diagram').textContent = 'Could not load the catalog: ' + error.message;
  });
})();
