"""Nox sessions for the janus-webrtc monorepo.

Every folder ``packages/<name>/`` with a ``pyproject.toml`` is one published distribution and
is found here at load time, so a new package joins ``tests``, ``typecheck``, ``docs``, ``bench``
and ``demo`` without editing this file. The core (``packages/janus-core``, distribution
``janus-webrtc``) always comes first.

Sessions (``nox -l`` lists them; ``nox`` alone runs the ones ``./scripts/test`` runs):

- ``tests-<python>(package='<folder>')``: one virtualenv per package and Python version (3.11,
  3.12, 3.13) holding only that package, the in-repo packages it declares as dependencies
  (installed from their folders, not editable) and pytest; pytest runs in the package's folder
  under coverage.py. ``nox -s tests`` runs every package on every version, ``-p 3.12`` one version.
  Tests marked ``browser`` are left out here (``-m "not browser"``): they run once, in
  ``browser``.
- ``browser``: the janus.js interop tests (marked ``browser``: Meetecho's janus.js in headless
  Chromium, in the same rooms and calls as the Python client) of every package that has them,
  once, on the oldest Python, in one virtualenv holding those packages; pytest runs in each
  package's folder with ``-m browser``. Needs Chromium and janus.js (``./scripts/test`` installs
  both: janus.js with npm into ``.nox/_janusjs/``, pinned by ``scripts/janus-js/``).
- ``signalling``: the core installed WITHOUT its ``media`` extra (no aiortc, no PyAV),
  as ``pip install janus-webrtc`` gives it: proves that aiortc and PyAV are absent, that the
  WebRTC names say which extra to install, and runs every core test that needs no media (the
  others are deselected by ``packages/janus-core/tests/conftest.py``, not skipped).
- ``lint``: ``ruff check`` and ``ruff format --check`` over the repository.
- ``typecheck``: ``mypy --strict`` over every package's ``src/``.
- ``docs``: ``mkdocs build --strict`` (API reference from docstrings).
- ``examples``: every Python example of docs/ and of the READMEs runs against a private Janus
  and passes ``mypy --strict`` (``tests/test_doc_examples.py``, page syntax in
  ``tests/doc_examples.py``).
- ``build``: an sdist and a wheel of every package into ``dist/``, checked by ``twine check
  --strict`` and ``scripts/check_dists.py`` (LICENSE, py.typed, only its own package).
- ``wheels``: installs the built wheels into fresh virtualenvs and runs
  ``scripts/smoke_wheels.py`` against a private Janus (the full install, and the core alone).
- ``coverage``: combines the coverage data of every ``tests`` and ``browser`` run; line and
  branch figures per
  package and in total; fails when a package is below 85%.
- ``bench``: every ``bench/bench_*.py``; ``nox -s bench -- --quick`` for a short run;
  ``-- --peers`` first installs the peer clients that ``bench/bench_core.py`` measures beside
  the library (janus-client from PyPI into the session's venv, janode with npm into
  ``bench/.peers/``), ``-- --no-peers`` leaves them out even where installed.
- ``demo``: ``demo/run_demo.py`` against a private Janus.

Arguments after ``--`` go to pytest (``tests``, ``browser``, ``signalling``; a ``-m`` there
replaces the session's own), to each bench script
(``bench``) or to the demo (``demo``). With arguments (``-- -k reconnect``) a package with no
selected test passes (pytest's exit status 5); without, collecting nothing fails. ``CI`` and
``JANUS_*`` variables reach every command.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nox
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent
PACKAGES_DIR = ROOT / "packages"
CORE_FOLDER = "janus-core"
REPORTS_DIR = ROOT / ".nox" / "_reports"
"""JUnit XML reports of the test sessions, one per package and Python (read by scripts/test)."""
COVERAGE_DIR = REPORTS_DIR / "coverage"
"""coverage.py data files of the ``tests`` sessions, combined by the ``coverage`` session."""
DIST_DIR = ROOT / "dist"
"""Where ``build`` puts every sdist and wheel."""
PYTHONS = ("3.11", "3.12", "3.13")
"""Python versions every package is tested on (the first is the floor)."""
COVERAGE_FLOOR = 85
"""Lowest line+branch coverage, in percent, that a package may have."""

# Tool versions, pinned so that a fresh CI machine checks exactly what developers check.
RUFF = "ruff==0.17.6"
MYPY = "mypy==2.4.1"
PYTEST = ("pytest>=8", "pytest-asyncio>=0.24")
PYTEST_TIMEOUT = "pytest-timeout>=2.3"
COVERAGE = "coverage==7.17.3"
BUILD = ("build[uv]==1.6.1", "twine==7.0.0")
TEST_TIMEOUT = 300
"""Seconds one test may take before pytest-timeout fails it (unless the package sets its own
``timeout`` in its pytest configuration): a hung test must not hang the whole suite."""
PEER_PIP = "janus-client==0.9.0"
"""The earlier Python client, measured beside janus-webrtc by bench/bench_core.py."""
PEER_NPM = "janode@1.8.0"
"""Meetecho's Node adapter, likewise; npm installs it into :data:`PEERS_CACHE`."""
PEERS_CACHE = ROOT / "bench" / ".peers"
"""npm's ``--prefix`` for janode (ignored by git); bench/peers/ looks for it there."""
JANUS_JS_CACHE = ROOT / ".nox" / "_janusjs"
"""npm prefix folder holding janus.js and adapter.js for the browser tests (ignored by git);
``scripts/_common.sh`` fills it from ``scripts/janus-js/package-lock.json``. The tests find it
through ``JANUS_WEBRTC_TEST_JANUS_JS``, set to this folder unless already set."""
BROWSER_MARK = "browser"
"""The pytest marker of the janus.js interop tests, run by the ``browser`` session only."""
DOCS = (
    "mkdocs>=1.6,<2",
    "mkdocs-material>=9.5,<10",
    "mkdocstrings[python]>=0.26",
)

TEST_EXTRAS = ("test", "tests", "testing")
"""Optional-dependency extras and dependency groups installed to test a package."""

MEDIA_EXTRA = "media"
"""The core's extra holding the WebRTC side (aiortc, aioice, PyAV)."""

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _find_pythons() -> None:
    """Put pyenv's builds of :data:`PYTHONS` on the PATH (pyenv's shims run only the active one).

    Interpreters already on the PATH come first; nothing is downloaded.
    """
    versions = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    found = []
    for wanted in PYTHONS:
        builds = [
            p for p in versions.glob(f"{wanted}.*") if (p / "bin" / f"python{wanted}").exists()
        ]
        if builds:
            newest = max(builds, key=lambda p: [int(x) for x in p.name.split(".") if x.isdigit()])
            found.append(str(newest / "bin"))
    if found:
        os.environ["PATH"] = os.pathsep.join([os.environ.get("PATH", ""), *found])


_find_pythons()
nox.options.default_venv_backend = "uv|virtualenv"
# Locally, keep virtualenvs between runs (installs still run, and in-repo packages are always
# rebuilt); in CI start from nothing so that a dependency dropped from a pyproject shows up.
nox.options.reuse_venv = "no" if IN_CI else "yes"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = [
    "lint",
    "typecheck",
    "docs",
    "build",
    "tests",
    "browser",
    "signalling",
    "examples",
    "wheels",
    "coverage",
]


@dataclass(frozen=True)
class Package:
    """One distribution of the monorepo, read from ``packages/<folder>/pyproject.toml``."""

    folder: str
    path: Path
    name: str
    import_name: str
    requires: tuple[str, ...]
    test_requires: tuple[str, ...] = field(default=())
    test_extras: tuple[str, ...] = field(default=())
    pytest_timeout: bool = False

    @property
    def has_tests(self) -> bool:
        """Whether the package has a tests/ folder yet."""
        return (self.path / "tests").is_dir()

    @property
    def src(self) -> Path:
        """The folder of the import package."""
        return self.path / "src" / self.import_name

    @property
    def has_browser_tests(self) -> bool:
        """Whether a module of its tests/ marks tests ``browser`` (janus.js interop)."""
        marker = f"pytest.mark.{BROWSER_MARK}"
        return self.has_tests and any(
            marker in test.read_text(encoding="utf-8")
            for test in (self.path / "tests").glob("test_*.py")
        )


def _import_name(path: Path, project: dict[str, Any], tool: dict[str, Any]) -> str:
    wheel = tool.get("hatch", {}).get("build", {}).get("targets", {}).get("wheel", {})
    for entry in wheel.get("packages", []):
        return Path(entry).name
    src = path / "src"
    found = sorted(p.parent.name for p in src.glob("*/__init__.py")) if src.is_dir() else []
    if len(found) == 1:
        return found[0]
    return str(project["name"]).replace("-", "_").lower()


def _requirement_strings(items: Any) -> list[str]:
    return [item for item in items or () if isinstance(item, str)]


def _read_package(pyproject: Path) -> Package | None:
    path = pyproject.parent
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SystemExit(f"noxfile: cannot read {pyproject.relative_to(ROOT)}: {exc}") from exc
    project = data.get("project")
    if not isinstance(project, dict) or "name" not in project:
        return None
    optional = project.get("optional-dependencies", {}) or {}
    groups = data.get("dependency-groups", {}) or {}
    test_requires: list[str] = []
    for group in TEST_EXTRAS:
        test_requires += _requirement_strings(groups.get(group))
    return Package(
        folder=path.name,
        path=path,
        name=canonicalize_name(str(project["name"])),
        import_name=_import_name(path, project, data.get("tool", {}) or {}),
        requires=tuple(_requirement_strings(project.get("dependencies"))),
        test_requires=tuple(test_requires),
        test_extras=tuple(extra for extra in TEST_EXTRAS if extra in optional),
        pytest_timeout="timeout" in data.get("tool", {}).get("pytest", {}).get("ini_options", {}),
    )


def discover_packages() -> list[Package]:
    """Return the monorepo's packages, the core first, then by folder name."""
    found = [_read_package(p) for p in sorted(PACKAGES_DIR.glob("*/pyproject.toml"))]
    packages = [p for p in found if p is not None]
    return sorted(packages, key=lambda p: (p.folder != CORE_FOLDER, p.folder))


PACKAGES = discover_packages()
BY_FOLDER = {p.folder: p for p in PACKAGES}
BY_NAME = {p.name: p for p in PACKAGES}


def in_repo_closure(roots: list[Package]) -> list[Package]:
    """Return ``roots`` and every in-repo package they need, directly or not, in repo order."""
    needed: dict[str, Package] = {}
    todo = list(roots)
    while todo:
        package = todo.pop()
        if package.name in needed:
            continue
        needed[package.name] = package
        for text in (*package.requires, *package.test_requires):
            try:
                requirement = Requirement(text)
            except InvalidRequirement:
                continue  # pip will report it properly at install time
            if requirement.marker is not None and not requirement.marker.evaluate():
                continue
            dependency = BY_NAME.get(canonicalize_name(requirement.name))
            if dependency is not None:
                todo.append(dependency)
    return [p for p in PACKAGES if p.name in needed]


def install_packages(
    session: nox.Session,
    packages: list[Package],
    *requirements: str,
    test: Package | list[Package] | None = None,
    repair: bool = False,
    media: bool = True,
) -> None:
    """Install in-repo packages from their folders (not editable) plus ``requirements``.

    In-repo packages are rebuilt on every run, so the venv always holds the current sources.
    The test extras and dependency groups of ``test`` (one package or several) are installed
    too. ``repair`` reinstalls
    everything, for a reused venv whose files were damaged. ``media`` installs the core with
    its ``media`` extra (aiortc, PyAV); without it the core is the signalling client only.
    """
    tested = [] if test is None else [test] if isinstance(test, Package) else test
    targets = []
    for package in packages:
        target = str(package.path)
        extras = [*(package.test_extras if package in tested else ())]
        if media and package.folder == CORE_FOLDER:
            extras.append(MEDIA_EXTRA)
        if extras:
            target += f"[{','.join(extras)}]"
        targets.append(target)
    extra = [*requirements, *(r for package in tested for r in package.test_requires)]
    if session.venv_backend == "uv":
        rebuild = ["--reinstall"] if repair else [f"--reinstall-package={p.name}" for p in packages]
        session.install(*rebuild, *targets, *extra)
    else:
        session.install(*(["--force-reinstall"] if repair else []), *targets, *extra)
        if not repair:
            session.install("--force-reinstall", "--no-deps", *(str(p.path) for p in packages))


def passthrough_env() -> dict[str, str]:
    """``CI`` and ``JANUS_*`` variables, given explicitly to commands that need them.

    ``JANUS_WEBRTC_TEST_JANUS_JS`` (where the browser tests find janus.js) defaults to
    :data:`JANUS_JS_CACHE`.
    """
    env = {k: v for k, v in os.environ.items() if k == "CI" or k.startswith("JANUS_")}
    env.setdefault("JANUS_WEBRTC_TEST_JANUS_JS", str(JANUS_JS_CACHE))
    return env


def coverage_rc() -> Path:
    """Write the coverage.py configuration for every package found (paths: src and installed)."""
    # patch = subprocess: the console scripts the tests start (janusctl) are measured too.
    lines = ["[run]", "branch = true", "parallel = true", "patch = subprocess", "[paths]"]
    for package in PACKAGES:
        src = package.src.relative_to(ROOT)
        lines += [
            f"{package.import_name} =",
            f"    {src}",
            f"    */site-packages/{package.import_name}",
        ]
    lines += ["[report]", "precision = 1", "show_missing = false", "skip_empty = true"]
    COVERAGE_DIR.mkdir(parents=True, exist_ok=True)
    rc = COVERAGE_DIR.parent / "coveragerc"
    rc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rc


def run_pytest(
    session: nox.Session, target: Package, report_name: str, *, browser: bool = False
) -> None:
    """Run ``target``'s tests under coverage.py in the session's venv, from its folder.

    The tests marked ``browser`` only when ``browser`` is true, else all the others.
    """
    if not target.has_tests:
        session.skip(f"{target.folder} has no tests/ folder yet")
    REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    report = REPORTS_DIR / f"{report_name}.xml"
    report.unlink(missing_ok=True)
    rc = coverage_rc()
    data = COVERAGE_DIR / f".coverage.{report_name}"  # this run's files: <data>.<host>.<pid>...
    for old in (data, *COVERAGE_DIR.glob(f"{data.name}.*")):
        old.unlink(missing_ok=True)
    session.chdir(target.path)
    # pytest exit code 5 (no tests collected) fails the session: a tests/ folder that collects
    # nothing is a mistake. With arguments (a -k or -m selection) it means "none selected here".
    timeout = [] if target.pytest_timeout else [f"--timeout={TEST_TIMEOUT}"]
    select = ["-m", BROWSER_MARK if browser else f"not {BROWSER_MARK}"]
    session.run(
        "coverage",
        "run",
        f"--rcfile={rc}",
        f"--data-file={data}",
        f"--source={target.import_name}",
        "-m",
        "pytest",
        *timeout,
        *select,
        f"--junitxml={report}",
        "-o",
        f"junit_suite_name={report_name}",
        *session.posargs,
        env=passthrough_env(),
        success_codes=[0, 5] if session.posargs else [0],
    )


def smoke_import(session: nox.Session, target: Package, repair: Any) -> None:
    """Prove the installed copy imports from outside the source tree (repairing a reused venv)."""
    smoke = ("python", "-c", f"import {target.import_name}")
    try:
        session.run(*smoke, env=passthrough_env())
    except nox.command.CommandFailed:
        if IN_CI:
            raise
        # A venv reused from an earlier (interrupted or concurrent) run can be damaged: repair
        # it once. In CI every venv is new, so a failure there is the package's own.
        session.warn("the import failed in a reused virtualenv: reinstalling everything once")
        repair()
        session.run(*smoke, env=passthrough_env())


@nox.session(python=PYTHONS)
@nox.parametrize("package", [p.folder for p in PACKAGES])
def tests(session: nox.Session, package: str) -> None:
    """Run one package's tests in a venv holding only what it declares."""
    target = BY_FOLDER[package]
    needed = in_repo_closure([target])
    install_packages(session, needed, *PYTEST, PYTEST_TIMEOUT, COVERAGE, test=target)
    smoke_import(
        session,
        target,
        lambda: install_packages(
            session, needed, *PYTEST, PYTEST_TIMEOUT, COVERAGE, test=target, repair=True
        ),
    )
    run_pytest(session, target, f"{package}-py{session.python}")


@nox.session(python=PYTHONS[0])
def browser(session: nox.Session) -> None:
    """Run the janus.js interop tests (marked ``browser``) of every package that has them, once.

    One virtualenv holds those packages and their test extras; pytest runs in each package's
    folder (its conftest.py and fixtures) with ``-m browser``, under coverage.py.
    """
    targets = [package for package in PACKAGES if package.has_browser_tests]
    if not targets:
        session.skip("no package has tests marked browser yet")
    install_packages(
        session, in_repo_closure(targets), *PYTEST, PYTEST_TIMEOUT, COVERAGE, test=targets
    )
    for target in targets:
        run_pytest(session, target, f"{target.folder}-browser-py{session.python}", browser=True)


SIGNALLING_CHECK = """
import importlib.util, janus_webrtc
absent = [m for m in ("aiortc", "aioice", "av") if importlib.util.find_spec(m) is not None]
assert not absent, f"the signalling-only install holds {absent}"
try:
    janus_webrtc.WebRTCHandle
except ModuleNotFoundError as exc:
    assert 'pip install "janus-webrtc[media]"' in str(exc), exc
else:
    raise AssertionError("janus_webrtc.WebRTCHandle imported without aiortc")
print("signalling-only install: no aiortc, aioice or av; WebRTC names name the media extra")
"""


@nox.session(python=PYTHONS[0])
def signalling(session: nox.Session) -> None:
    """Test the core installed without its ``media`` extra (signalling only)."""
    core = BY_FOLDER[CORE_FOLDER]
    # The core's own dependencies and its testing extra only: never `media`.
    install_packages(session, [core], *PYTEST, PYTEST_TIMEOUT, COVERAGE, test=core, media=False)
    session.run("python", "-c", SIGNALLING_CHECK, env=passthrough_env())
    run_pytest(session, core, f"{core.folder}-signalling-py{session.python}")


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff (configuration in the root pyproject.toml)."""
    session.install(RUFF)
    session.run("ruff", "--version")
    failed = []
    for command in (("ruff", "check", "."), ("ruff", "format", "--check", ".")):
        # Run both checks even if the first fails, so that one run shows every problem.
        try:
            session.run(*command)
        except nox.command.CommandFailed:
            failed.append(" ".join(command))
    if failed:
        raise nox.command.CommandFailed(f"failed: {'; '.join(failed)}")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Run ``mypy --strict`` over every package's sources, all installed in one venv."""
    install_packages(session, PACKAGES, MYPY, *PYTEST)
    session.run("mypy", "--version")
    session.run("mypy", "--strict", *(str(p.src.relative_to(ROOT)) for p in PACKAGES))


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation with ``mkdocs build --strict`` into site/."""
    # ruff formats the signatures in the API reference.
    install_packages(session, PACKAGES, *DOCS, RUFF)
    session.run(
        "mkdocs",
        "build",
        "--strict",
        "--site-dir",
        str(ROOT / "site"),
        *session.posargs,
        env={"NO_MKDOCS_2_WARNING": "1"},
    )


@nox.session
def build(session: nox.Session) -> None:
    """Build an sdist and a wheel of every package into dist/, then check them."""
    session.install(*BUILD)
    DIST_DIR.mkdir(exist_ok=True)
    for old in (*DIST_DIR.glob("*.whl"), *DIST_DIR.glob("*.tar.gz")):
        old.unlink()
    for package in PACKAGES:
        session.run(
            "python", "-m", "build", "--installer=uv", "--outdir", str(DIST_DIR), str(package.path)
        )
    session.run("twine", "check", "--strict", *sorted(str(p) for p in DIST_DIR.iterdir()))
    session.run(
        "python", str(ROOT / "scripts" / "check_dists.py"), str(DIST_DIR), str(PACKAGES_DIR)
    )


def built_wheels() -> list[Path]:
    """The wheels ``build`` made, one per package (fails if one is missing)."""
    wheels = sorted(DIST_DIR.glob("*.whl"))
    names = {canonicalize_name(w.name.split("-")[0]) for w in wheels}
    missing = sorted(p.name for p in PACKAGES if p.name not in names)
    if missing:
        raise SystemExit(f"no wheel in dist/ for {', '.join(missing)}: run `nox -s build` first")
    return wheels


@nox.session(reuse_venv=False)
@nox.parametrize("install", ["everything", "core"])
def wheels(session: nox.Session, install: str) -> None:
    """Install the built wheels into a fresh venv and run a smoke session against Janus.

    ``everything``: every wheel (the core's ``media`` extra comes with the plugin packages).
    ``core``: the core's wheel alone, as ``pip install janus-webrtc`` gives it.
    """
    wheels = built_wheels()
    if install == "core":
        core = BY_FOLDER[CORE_FOLDER].name
        wheels = [w for w in wheels if canonicalize_name(w.name.split("-")[0]) == core]
    session.install(*(str(w) for w in wheels))
    session.chdir(session.create_tmp())  # away from the sources: only the wheels can import
    plugins = [p.import_name for p in PACKAGES if p.folder != CORE_FOLDER]
    names = plugins if install == "everything" else []
    session.run(
        "python",
        str(ROOT / "scripts" / "smoke_wheels.py"),
        install,
        *names,
        env=passthrough_env(),
    )


@nox.session
def coverage(session: nox.Session) -> None:
    """Combine the ``tests`` and ``browser`` runs' coverage data; report; enforce the floor."""
    session.install(COVERAGE)
    rc = coverage_rc()
    data = f"--data-file={COVERAGE_DIR / '.coverage'}"
    if not list(COVERAGE_DIR.glob(".coverage.*")):
        session.skip("no coverage data: run the tests sessions first")
    session.chdir(ROOT)
    session.run("coverage", "combine", "--keep", f"--rcfile={rc}", data)
    # A selection (``-- -k something``) measures part of the suite: report, enforce nothing.
    floor = [] if session.posargs else [f"--fail-under={COVERAGE_FLOOR}"]
    low = []
    for package in PACKAGES:
        include = f"--include={package.src.relative_to(ROOT)}/*"
        try:
            session.run(
                "coverage",
                "report",
                f"--rcfile={rc}",
                data,
                include,
                *floor,
                "--format=total",
                silent=False,
            )
        except nox.command.CommandFailed:
            low.append(package.folder)
    session.run("coverage", "report", f"--rcfile={rc}", data)
    total = session.run("coverage", "report", f"--rcfile={rc}", data, "--format=total", silent=True)
    summary = f"coverage (line + branch, every package and Python): {str(total).strip()}%" + (
        f"; below {COVERAGE_FLOOR}%: {', '.join(low)}" if low else ""
    )
    (REPORTS_DIR / "coverage.txt").write_text(summary + "\n", encoding="utf-8")
    session.log(summary)
    if low:
        session.error(f"coverage below {COVERAGE_FLOOR}% in {', '.join(low)}")


@nox.session
def examples(session: nox.Session) -> None:
    """Run every Python example of docs/ and the READMEs against Janus; mypy --strict them."""
    install_packages(session, PACKAGES, *PYTEST, PYTEST_TIMEOUT, MYPY)
    session.chdir(ROOT / "tests")
    REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    session.run(
        "pytest",
        "-p",
        "no:cacheprovider",
        f"--timeout={TEST_TIMEOUT}",
        f"--junitxml={REPORTS_DIR / 'docs-examples.xml'}",
        "-o",
        "junit_suite_name=docs-examples",
        "test_doc_examples.py",
        *session.posargs,
        env=passthrough_env(),
        success_codes=[0, 5] if session.posargs else [0],
    )


def install_peers(session: nox.Session) -> None:
    """Install the peer clients for bench/bench_core.py; a failure is a warning, not fatal."""
    try:
        session.install(PEER_PIP)
    except nox.command.CommandFailed:
        session.warn(f"could not install {PEER_PIP}: its rows will say 'not installed'")
    if shutil.which("npm") is None:
        session.warn("npm is not on the PATH: janode's rows will say 'not installed'")
        return
    PEERS_CACHE.mkdir(parents=True, exist_ok=True)
    try:
        session.run(
            "npm",
            "install",
            "--prefix",
            str(PEERS_CACHE),
            "--no-audit",
            "--no-fund",
            PEER_NPM,
            external=True,
        )
    except nox.command.CommandFailed:
        session.warn(f"could not install {PEER_NPM}: its rows will say 'not installed'")


@nox.session
def bench(session: nox.Session) -> None:
    """Run every bench/bench_*.py script; ``nox -s bench -- --quick`` for a short run.

    ``-- --peers`` installs the peer clients first (:func:`install_peers`); ``-- --no-peers``
    has bench_core.py leave them out. Both flags are for bench_core.py alone; every other
    argument goes to every script.
    """
    scripts = sorted((ROOT / "bench").glob("bench_*.py"))
    if not scripts:
        session.skip("no bench/bench_*.py scripts yet")
    install_packages(session, PACKAGES, *PYTEST)
    if "--peers" in session.posargs:
        install_peers(session)
    args = [arg for arg in session.posargs if arg not in ("--peers", "--no-peers")]
    for script in scripts:
        own = (
            ["--no-peers"]
            if script.name == "bench_core.py" and "--no-peers" in session.posargs
            else []
        )
        session.run("python", str(script), *args, *own, env=passthrough_env())


@nox.session(default=False)
def soak(session: nox.Session) -> None:
    """Keep 500 WebSocket and 200 HTTP sessions for 10 minutes (bench/soak.py; not default)."""
    install_packages(session, PACKAGES)
    session.run("python", str(ROOT / "bench" / "soak.py"), *session.posargs, env=passthrough_env())


@nox.session
def demo(session: nox.Session) -> None:
    """Start a private Janus and run demo/run_demo.py (and every demo/demo_*.py) against it."""
    install_packages(session, PACKAGES)
    session.run(
        "python", str(ROOT / "demo" / "run_demo.py"), *session.posargs, env=passthrough_env()
    )
