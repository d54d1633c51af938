"""``mcgraph demo``: the main job on the embedded default — build the graph, show what is in it, ask it something."""

from __future__ import annotations

from rich.rule import Rule

from ..build import build as run_build
from ..errors import QueryError
from ..queries import get_query
from ..render import graphs_table, result_table
from ..analysis.pathways import paths as find_paths
from .app import AppContext, cli, console, pass_app, progress_counter
from .paths import print_paths

#: The questions the demo asks, in order: (query name, parameters). Missing queries are skipped.
DEMO_QUERIES: list[tuple[str, dict[str, str]]] = [
    ("catalogue-overview", {"jurisdiction": "CA-BC"}),
    ("credential-skills", {"credential": "mcgid:credential/ubc-blockchain"}),
]

#: The stacking path the demo shows (``mcgraph paths``): the credentials held and the target.
DEMO_PATH: tuple[list[str], str] = (["rru-caf-required-1", "rru-caf-required-2"], "rru-caf")


@cli.command()
@pass_app
def demo(app: AppContext) -> None:
    """Build the default graph from the bundled data, show its named graphs and run the demo queries."""
    with progress_counter("building the default graph") as update:
        reports = list(run_build(app.store, progress=lambda graph, n: update(n)))
    console.print(f"Built {len(reports)} graphs from the repository's ontology/ and data/ into {app.location}")
    console.print(graphs_table(app.store.graph_records()))
    for name, params in DEMO_QUERIES:
        try:
            query = get_query(name)
        except QueryError:
            continue
        console.print(Rule(f"mcgraph query {name} " + " ".join(f"-p {k}={v}" for k, v in params.items())))
        result = query.run(app.store, **params)
        console.print(result_table(result, title=query.title))
        console.print(f"[dim]{len(result)} rows[/]")
    show_gap(app)
    have, target = DEMO_PATH
    console.print(Rule(f"mcgraph paths --have {','.join(have)} --to {target} --limit 1"))
    print_paths(find_paths(app.store, have, target, limit=1))
    from ..checks.compliance import compliance  # the compliance matrix of the sample catalogue
    from .validate import show_compliance

    console.print(Rule("mcgraph compliance"))
    show_compliance(compliance(app.store))


#: The skill gap the demo shows: ESCO's sustainability manager for a learner holding RRU's first required
#: climate course (essential skills from data/demand/esco-requirements-slice.ttl).
DEMO_GAP = {"occupation": "escoocc:2cf2b905-3308-4b5d-8e8d-633fc7a3f3ce", "have": ["rru-caf-required-1"]}


def show_gap(app: AppContext) -> None:
    """One skill gap with the credentials recommended to close it."""
    from ..analysis.gaps import gaps
    from .gaps import recommendation_table, summary_line

    console.print(Rule(f"mcgraph gaps --occupation {DEMO_GAP['occupation']} --have {','.join(DEMO_GAP['have'])} "
                       "--recommend"))
    result = gaps(app.store, DEMO_GAP["occupation"], DEMO_GAP["have"], recommend=True)
    console.print(f"{result.occupation_label}: {summary_line(result)}")
    for item in result.covered + result.partly_covered:
        console.print(f"  {item.status}: {item.label} ({item.how}; {', '.join(item.credentials)})")
    if result.recommendation is not None:
        console.print(recommendation_table(result.recommendation))
