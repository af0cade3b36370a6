// The roadmap explorer: reads the catalog through the GraphQL API like any client, shows the
// server's diagram of the chosen role beside its languages, frameworks and tools, and lets a
// learner tick what they know (kept in this browser's localStorage, never sent anywhere but
// to this server's API). One request asks for both the gap and the learning path; the
// diagram then marks each skill done, a next step (numbered as the list of next steps) or
// later, and the page says how much of the role is covered.
(function () {
  'use strict';

  var STORE = 'skillgraph.known';
  var LEVELS = ['BEGINNER', 'INTERMEDIATE', 'ADVANCED', 'EXPERT'];
  var LEVEL_WORDS = { BEGINNER: 'Beginner', INTERMEDIATE: 'Intermediate', ADVANCED: 'Advanced', EXPERT: 'Expert' };
  // How many ready steps the page calls "next"; the rest of the path is "later".
  var MOST_NEXT = 5;
  var SVG_NS = 'http://www.w3.org/2000/svg';

  async function graphql(query, variables) {
    var response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: query, variables: variables || {} })
    });
    var answer = await response.json();
    if (answer.errors) throw new Error(answer.errors.map(function (e) { return e.message; }).join('; '));
    return answer.data;
  }

  // What the learner said they know: slug → level ('' when no level was chosen: any level
  // the role asks is then met). Whatever is stored is checked, as another page of this
  // origin could have written it.
  function loadKnown() {
    try {
      var stored = JSON.parse(localStorage.getItem(STORE) || '{}');
      var known = {};
      if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
        Object.keys(stored).forEach(function (slug) {
          var level = stored[slug];
          if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) && (level === '' || LEVELS.indexOf(level) >= 0)) {
            known[slug] = level;
          }
        });
      }
      return known;
    } catch (error) {
      return {};
    }
  }
  var known = loadKnown();

  function saveKnown() {
    try {
      localStorage.setItem(STORE, JSON.stringify(known));
    } catch (error) {
      // Storage may be full or refused (private windows): the page still works for now.
    }
  }

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var ROLE = 'query Role($slug: String!) { role(slug: $slug) { name description ' +
    'languages(first: 50) { edges { importance node { slug name frameworks(first: 20) { nodes { slug name } } } } } ' +
    'tools(first: 50) { edges { importance node { slug name category } } } } }';

  var SKILLS = 'query RoleSkills($slug: String!, $after: String) { role(slug: $slug) { ' +
    'skills(first: 100, after: $after) { pageInfo { hasNextPage endCursor } ' +
    'edges { importance level node { slug name parent { slug } } } } } }';

  // Where the learner stands: the gap and the path, in one request.
  var STANDING = 'query Standing($role: String!, $have: [HaveInput!]!) { ' +
    'skillGap(role: $role, have: $have) { coverage covered { kind slug } ' +
    'belowLevel { slug } missing { kind slug } } ' +
    'learningPath(role: $role, have: $have) { steps { position slug name importance level held reason ' +
    'skill { prerequisites { slug } } } cycle } }';

  async function roleSkills(slug) {
    var edges = [];
    var after = null;
    for (var page = 0; page < 50; page += 1) {
      var data = await graphql(SKILLS, { slug: slug, after: after });
      if (!data.role) break;
      var skills = data.role.skills;
      edges = edges.concat(skills.edges);
      if (!skills.pageInfo.hasNextPage) break;
      after = skills.pageInfo.endCursor;
    }
    return edges;
  }

  var current = { slug: null, name: '' };
  var asked = 0;
  var timer = null;

  // A tick box for a need of the role, and for a skill a choice of level.
  function knowItem(kind, slug, name, options) {
    var row = el('div', { class: 'know' + (options.part ? ' part' : '') });
    var id = 'know-' + kind + '-' + slug;
    var box = el('input', { type: 'checkbox', id: id, 'data-slug': slug });
    box.checked = Object.prototype.hasOwnProperty.call(known, slug);
    var label = el('label', { for: id }, name);
    if (options.optional) {
      label.className = 'optional-need';
      label.appendChild(document.createTextNode(' (optional)'));
    }
    row.appendChild(box);
    row.appendChild(label);
    var select = null;
    if (kind === 'skill') {
      var levelId = 'level-' + slug;
      var hidden = el('label', { for: levelId, class: 'visually-hidden' }, 'Your level in ' + name);
      select = el('select', { id: levelId });
      var levelAsked = options.level ? ' (' + LEVEL_WORDS[options.level] + ')' : '';
      select.appendChild(el('option', { value: '' }, 'at the level asked' + levelAsked));
      LEVELS.forEach(function (level) { select.appendChild(el('option', { value: level }, LEVEL_WORDS[level])); });
      select.value = box.checked ? known[slug] : '';
      select.disabled = !box.checked;
      select.addEventListener('change', function () {
        known[slug] = select.value;
        saveKnown();
        later();
      });
      row.appendChild(hidden);
      row.appendChild(select);
    }
    box.addEventListener('change', function () {
      if (box.checked) known[slug] = select ? select.value : '';
      else delete known[slug];
      if (select) select.disabled = !box.checked;
      saveKnown();
      later();
    });
    return row;
  }

  // The tick boxes of the role's skills, one group per area, in the diagram's order.
  function showSkills(edges) {
    var container = document.getElementById('known');
    container.replaceChildren();
    var drawn = {};
    document.querySelectorAll('#diagram g.skill[data-slug]').forEach(function (g, i) {
      drawn[g.getAttribute('data-slug')] = i;
    });
    var bySlug = {};
    edges.forEach(function (edge, i) { bySlug[edge.node.slug] = { edge: edge, rank: i }; });
    function areaOf(slug) {
      var seen = 0;
      var at = slug;
      while (seen < 100) {
        var parent = bySlug[at].edge.node.parent;
        if (!parent || !bySlug[parent.slug]) return at;
        at = parent.slug;
        seen += 1;
      }
      return at;
    }
    function rank(slug) {
      return Object.prototype.hasOwnProperty.call(drawn, slug) ? drawn[slug] : 100000 + bySlug[slug].rank;
    }
    var areas = {};
    var order = [];
    edges.map(function (edge) { return edge.node.slug; })
      .sort(function (a, b) { return rank(a) - rank(b); })
      .forEach(function (slug) {
        var area = areaOf(slug);
        if (!areas[area]) {
          areas[area] = [];
          order.push(area);
        }
        areas[area].push(slug);
      });
    order.forEach(function (area) {
      var fieldset = el('fieldset');
      fieldset.appendChild(el('legend', {}, bySlug[area].edge.node.name));
      areas[area].forEach(function (slug) {
        var edge = bySlug[slug].edge;
        fieldset.appendChild(knowItem('skill', slug, edge.node.name, {
          part: slug !== area,
          level: edge.level,
          optional: edge.importance === 'OPTIONAL'
        }));
      });
      container.appendChild(fieldset);
    });
  }

  function showTechnologies(role) {
    var languages = document.getElementById('languages');
    languages.replaceChildren();
    role.languages.edges.forEach(function (edge) {
      var li = el('li');
      li.appendChild(knowItem('language', edge.node.slug, edge.node.name, { optional: edge.importance === 'OPTIONAL' }));
      var frameworks = edge.node.frameworks.nodes;
      if (frameworks.length) {
        var inner = el('ul', { 'aria-label': 'Frameworks for ' + edge.node.name });
        frameworks.forEach(function (framework) {
          var item = el('li');
          item.appendChild(knowItem('framework', framework.slug, framework.name, {}));
          inner.appendChild(item);
        });
        li.appendChild(inner);
      }
      languages.appendChild(li);
    });
    var tools = document.getElementById('tools');
    tools.replaceChildren();
    role.tools.edges.forEach(function (edge) {
      var category = edge.node.category.toLowerCase().replace(/_/g, ' ');
      var li = el('li');
      li.appendChild(knowItem('tool', edge.node.slug, edge.node.name + ' (' + category + ')',
        { optional: edge.importance === 'OPTIONAL' }));
      tools.appendChild(li);
    });
  }

  // Marks a skill's box: a badge in its top right corner and a class for its colours.
  function mark(g, state, label) {
    g.classList.remove('done', 'next', 'later');
    var old = g.querySelector('.mark');
    if (old) old.remove();
    if (!state) return;
    g.classList.add(state);
    if (!label) return;
    var box = g.querySelector('rect.box');
    var x = parseFloat(box.getAttribute('x')) + parseFloat(box.getAttribute('width')) - 15;
    var y = parseFloat(box.getAttribute('y')) + 15;
    var badge = document.createElementNS(SVG_NS, 'g');
    badge.setAttribute('class', 'mark ' + state);
    badge.setAttribute('aria-hidden', 'true');
    var circle = document.createElementNS(SVG_NS, 'circle');
    circle.setAttribute('cx', x);
    circle.setAttribute('cy', y);
    circle.setAttribute('r', 10);
    var text = document.createElementNS(SVG_NS, 'text');
    text.setAttribute('x', x);
    text.setAttribute('y', y + 4.5);
    text.setAttribute('font-size', 13);
    text.setAttribute('text-anchor', 'middle');
    text.textContent = label;
    badge.appendChild(circle);
    badge.appendChild(text);
    g.appendChild(badge);
  }

  function have() {
    return Object.keys(known).slice(0, 1000).map(function (slug) {
      return known[slug] ? { slug: slug, level: known[slug] } : { slug: slug };
    });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      standing().catch(function (error) {
        document.getElementById('standing').textContent = 'Could not work out where you stand: ' + error.message;
      });
    }, 150);
  }

  async function standing() {
    if (!current.slug) return;
    asked += 1;
    var mine = asked;
    var data = await graphql(STANDING, { role: current.slug, have: have() });
    if (mine !== asked || !data.skillGap || !data.learningPath) return;
    var gap = data.skillGap;
    var steps = data.learningPath.steps;
    var onPath = {};
    steps.forEach(function (step) { onPath[step.slug] = true; });
    // A step is ready when none of its prerequisites is still on the path.
    var next = steps.filter(function (step) {
      var prerequisites = step.skill ? step.skill.prerequisites : [];
      return !prerequisites.some(function (p) { return onPath[p.slug]; });
    }).slice(0, MOST_NEXT);
    var nextNumber = {};
    next.forEach(function (step, i) { nextNumber[step.slug] = i + 1; });
    var done = {};
    gap.covered.forEach(function (item) { if (item.kind === 'SKILL') done[item.slug] = true; });
    var counts = { done: 0, next: 0, later: 0 };
    document.querySelectorAll('#diagram g.skill[data-slug]').forEach(function (g) {
      var slug = g.getAttribute('data-slug');
      if (done[slug]) {
        mark(g, 'done', '✓');
        counts.done += 1;
      } else if (nextNumber[slug]) {
        mark(g, 'next', String(nextNumber[slug]));
        counts.next += 1;
      } else if (onPath[slug]) {
        mark(g, 'later', '');
        counts.later += 1;
      } else {
        mark(g, null, '');
      }
    });
    var list = document.getElementById('next-steps');
    list.replaceChildren();
    next.forEach(function (step) {
      var li = el('li');
      li.appendChild(el('strong', {}, step.name));
      var why = ': ' + step.reason;
      if (step.level) {
        why += step.held
          ? ', from ' + LEVEL_WORDS[step.held] + ' to ' + LEVEL_WORDS[step.level]
          : ', to ' + LEVEL_WORDS[step.level];
      }
      li.appendChild(document.createTextNode(why));
      list.appendChild(li);
    });
    if (!next.length) list.appendChild(el('li', {}, steps.length ? 'Nothing is ready: see the path below.' : 'Nothing left to learn for this role.'));
    var percent = Math.round(gap.coverage * 100);
    var meter = document.getElementById('coverage-bar');
    meter.value = gap.coverage;
    meter.textContent = percent + ' %';
    var below = gap.belowLevel.length;
    document.getElementById('standing').textContent =
      percent + ' % of ' + current.name + ' covered. On the diagram: ' +
      counts.done + ' done, ' + counts.next + ' next, ' + counts.later + ' later' +
      (below ? '; ' + below + ' held below the level asked.' : '.');
  }

  async function show(slug) {
    var diagram = document.getElementById('diagram');
    diagram.textContent = 'Drawing…';
    var url = '/roles/' + encodeURIComponent(slug) + '/roadmap.svg';
    document.getElementById('svg-link').href = url;
    history.replaceState(null, '', '?role=' + encodeURIComponent(slug));
    var answers = await Promise.all([
      fetch(url).then(function (r) { return r.text(); }),
      graphql(ROLE, { slug: slug }),
      roleSkills(slug)
    ]);
    diagram.innerHTML = answers[0];
    var role = answers[1].role;
    current = { slug: slug, name: role.name };
    document.getElementById('role-name').textContent = role.name;
    document.getElementById('role-description').textContent = role.description;
    showSkills(answers[2]);
    showTechnologies(role);
    await standing();
  }

  async function start() {
    var data = await graphql('{ roles(first: 100) { nodes { slug name } } }');
    var select = document.getElementById('role');
    data.roles.nodes.forEach(function (role) {
      select.appendChild(el('option', { value: role.slug }, role.name));
    });
    var wanted = new URLSearchParams(location.search).get('role');
    var slugs = data.roles.nodes.map(function (r) { return r.slug; });
    select.value = slugs.indexOf(wanted) >= 0 ? wanted
      : (slugs.indexOf('backend-developer') >= 0 ? 'backend-developer' : slugs[0]);
    select.addEventListener('change', function () {
      show(select.value).catch(failed);
    });
    document.getElementById('forget').addEventListener('click', function () {
      known = {};
      saveKnown();
      document.querySelectorAll('#known input[type=checkbox], aside ul input[type=checkbox]').forEach(function (box) {
        box.checked = false;
      });
      document.querySelectorAll('#known select').forEach(function (s) { s.value = ''; s.disabled = true; });
      later();
    });
    if (select.value) await show(select.value);
  }

  function failed(error) {
    document.getElementById('diagram').textContent = 'Could not load the catalog: ' + error.message;
  }

  start().catch(failed);
})();
