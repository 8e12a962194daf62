"""The benchmarks seed ~200k demo customers: they use their own database
(BENCH_DATABASE_URL), never the DATABASE_URL a checkout exports for itself."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOW = (
    "import os, runpy, sys; runpy.run_path(sys.argv[1], run_name='bench');"
    " print(os.environ['DATABASE_URL'])"
)


def database_of(script, **env):
    """The DATABASE_URL a bench script sets up for Django (its module code only: the
    benchmark itself does not run)."""
    environment = {k: v for k, v in os.environ.items() if k != "BENCH_DATABASE_URL"}
    environment |= {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/my_checkout", **env}
    result = subprocess.run(
        [sys.executable, "-c", SHOW, str(ROOT / "bench" / script)],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("script", ["customer_search.py", "pages.py", "complaints_bench.py"])
def test_an_exported_database_url_is_not_the_benchmarks_database(script):
    assert database_of(script) == "postgres://postgres@127.0.0.1:5432/vanke_crm_bench"


@pytest.mark.parametrize("script", ["customer_search.py", "pages.py", "complaints_bench.py"])
def test_bench_database_url_chooses_the_benchmarks_database(script):
    url = "postgres://postgres@127.0.0.1:5432/other_bench"
    assert database_of(script, BENCH_DATABASE_URL=url) == url
