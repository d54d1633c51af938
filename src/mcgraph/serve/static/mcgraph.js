/* mcgraph query page: YASGUI on this server's /query, and the named query library of /queries.
   Everything is served by mcgraph itself: no request leaves this server. */
(function () {
  "use strict";
  var base = document.baseURI;
  var endpoint = new URL("query", base).href;
  document.getElementById("endpoint").textContent = endpoint;

  // Only the local autocompleter: the others ask web services (prefix.cc, LOV), and the page works offline.
  Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter(function (n) {
    return n === "variables";
  });
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    yasqe: { value: "SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } }\nGROUP BY ?graph ORDER BY ?graph\n" }
  });
  window.mcgraphYasgui = yasgui;

  var list = document.getElementById("query-list");
  var form = document.getElementById("named-query");
  var params = document.getElementById("nq-params");
  var errorBox = document.getElementById("nq-error");
  var statusBox = document.getElementById("nq-status");
  var queries = [];
  var current = null;
  var tabs = {};  // query name -> YASGUI tab id

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function drawList(filter) {
    list.textContent = "";
    var needle = (filter || "").toLowerCase();
    queries.forEach(function (q) {
      if (needle && (q.name + " " + q.title).toLowerCase().indexOf(needle) < 0) return;
      var b = el("button", { type: "button", "data-query": q.name });
      b.appendChild(el("span", { "class": "name" }, q.name));
      b.appendChild(el("span", { "class": "title" }, q.title));
      if (current && current.name === q.name) b.classList.add("selected");
      b.addEventListener("click", function () { select(q); });
      var li = el("li");
      li.appendChild(b);
      list.appendChild(li);
    });
  }

  function select(q) {
    current = q;
    drawList(document.getElementById("filter").value);
    document.getElementById("nq-title").textContent = q.title || q.name;
    document.getElementById("nq-description").textContent = q.description;
    params.textContent = "";
    q.parameters.forEach(function (p) {
      var id = "param-" + p.name;
      params.appendChild(el("label", { "for": id }, p.name + " (" + p.type + (p.required ? ", required" : "") + ")"));
      var input = el("input", { id: id, name: p.name, type: "text" });
      if (p.type === "boolean") input.setAttribute("placeholder", "true or false");
      if (p.default !== null) input.value = p.default;
      if (p.required) input.required = true;
      params.appendChild(input);
      if (p.description) params.appendChild(el("span", { "class": "hint" }, p.description));
    });
    errorBox.hidden = true;
    statusBox.textContent = "";
    form.hidden = false;
    updateLinks();
  }

  function queryString() {
    var search = new URLSearchParams();
    Array.prototype.forEach.call(params.querySelectorAll("input"), function (input) {
      if (input.value !== "") search.append(input.name, input.value);
    });
    return search;
  }

  function updateLinks() {
    if (!current) return;
    var url = new URL(current.url, base);
    url.search = queryString().toString();
    var csv = new URL(url.href); csv.searchParams.set("format", "csv");
    var json = new URL(url.href); json.searchParams.set("format", "json");
    document.getElementById("nq-csv").href = csv.href;
    document.getElementById("nq-json").href = json.href;
    document.getElementById("nq-sparql").href = new URL(current.sparql, base).href;
  }

  function tabFor(q, text) {
    var tab = tabs[q.name] && yasgui.getTab(tabs[q.name]);
    if (!tab) {
      tab = yasgui.addTab(true, { name: q.name, yasqe: { value: text } });
      tabs[q.name] = tab.getId();
    } else {
      yasgui.selectTabId(tab.getId());
      tab.setQuery(text);
    }
    return tab;
  }

  function run(event) {
    event.preventDefault();
    var q = current;
    var url = new URL(q.url, base);
    url.search = queryString().toString();
    errorBox.hidden = true;
    statusBox.textContent = "running…";
    var started = performance.now();
    Promise.all([
      fetch(url, { headers: { Accept: "application/sparql-results+json" } }),
      fetch(new URL(q.sparql, base)).then(function (r) { return r.text(); })
    ]).then(function (answers) {
      var response = answers[0], text = answers[1];
      return response.text().then(function (body) {
        var ms = Math.round(performance.now() - started);
        if (!response.ok) {
          statusBox.textContent = "";
          errorBox.textContent = response.status + ": " + body;
          errorBox.hidden = false;
          return;
        }
        var rows = JSON.parse(body).results.bindings.length;
        statusBox.textContent = rows + " rows in " + ms + " ms";
        var note = q.parameters.length
          ? "# Run from the form above, which binds " + q.parameters.map(function (p) { return "?" + p.name; }).join(", ") +
            " on the server. The run button here sends the text to /query with them unbound.\n"
          : "";
        var tab = tabFor(q, note + text);
        tab.getYasr().setResponse({ data: body, contentType: "application/sparql-results+json", status: 200,
                                    executionTime: ms });
      });
    }).catch(function (err) {
      statusBox.textContent = "";
      errorBox.textContent = String(err);
      errorBox.hidden = false;
    });
  }

  form.addEventListener("submit", run);
  params.addEventListener("input", updateLinks);
  document.getElementById("filter").addEventListener("input", function (e) { drawList(e.target.value); });

  fetch(new URL("queries", base)).then(function (r) { return r.json(); }).then(function (found) {
    queries = found;
    drawList("");
    var wanted = new URLSearchParams(location.search).get("named");
    var first = queries.filter(function (q) { return q.name === wanted; })[0];
    if (first) select(first);
  });
})();
