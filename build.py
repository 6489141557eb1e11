#!/usr/bin/env python3
"""Kamerarchief command line: build, check or preview the archive site.

    python build.py [build]   build the site into the output folder
    python build.py check     validate the content, write nothing
    python build.py serve     build and serve the site on http://127.0.0.1:8000/
    python build.py import SOURCE...   turn pdftotext or OCR kamerstukken into content
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from kamerarchief.config import ConfigError, base_url_problem, load_config
from kamerarchief.errors import BuildError
from kamerarchief.progress import Progress
from kamerarchief.rebuild import build_reusing_cache
from kamerarchief.write import OutputError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the Kamerarchief site.")
    parser.add_argument("command", nargs="?", default="build", choices=("build", "check", "serve", "import"),
                        help="build (default), check, serve or import")
    parser.add_argument("sources", nargs="*", metavar="SOURCE",
                        help="import: a pdftotext .txt file, a .jsonl file of OCR records, or - for stdin")
    parser.add_argument("--force", action="store_true", help="import: replace documents already in the archive")
    parser.add_argument("--dry-run", action="store_true", help="import: report what would be imported, write nothing")
    parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="config file (default: config.yaml)")
    parser.add_argument("--content", type=Path, help="content folder (overrides the config)")
    parser.add_argument("--output", type=Path, help="output folder (overrides the config)")
    parser.add_argument("--base-url", metavar="URL",
                        help="address the site is published at, e.g. https://example.org/archief/ (overrides the config)")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    parser.add_argument("--jobs", "-j", type=int, metavar="N",
                        help="build: processes to render with (default: one per core)")
    parser.add_argument("--host", default="127.0.0.1", help="serve: address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="serve: port (default: 8000)")
    # Intermixed: options may stand between the command and its sources (import --dry-run FILE).
    args = parser.parse_intermixed_args(argv)
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.base_url is not None and base_url_problem(args.base_url):
        parser.error(f"--base-url: {base_url_problem(args.base_url)}")
    if args.command == "import" and not args.sources:
        parser.error("import needs at least one SOURCE")
    if args.command != "import" and args.sources:
        parser.error(f"unexpected argument {args.sources[0]!r}")
    return args


def print_errors(errors) -> None:
    for error in errors:
        print(error, file=sys.stderr)
    count = len(errors)
    print(f"{count} error{'s' if count != 1 else ''}; nothing was written.", file=sys.stderr)


def _search_index_error() -> type[Exception]:
    """The search index's error class; an except clause names it only once an exception reaches
    it, so that a build with nothing to do never imports the search module (and Jinja2 with it)."""
    from kamerarchief.search import SearchIndexError

    return SearchIndexError


def stop_on_sigterm() -> None:
    """Let SIGTERM (kill, timeout, a CI job cancelled) stop a build as Ctrl-C does: staging and
    worker processes are cleaned up and the previous site stays as it was."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, interrupt)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    stop_on_sigterm()
    say = (lambda *a, **k: None) if args.quiet else print
    try:
        config = load_config(args.config, args.content, args.output, args.base_url)
        progress = Progress.for_stream(sys.stdout, args.quiet)
        if args.command == "check":
            from kamerarchief.pipeline import check
            from kamerarchief.model import is_page

            result = check(config, workers=args.jobs, progress=progress)
            pages = sum(1 for url in result.pages if is_page(url))
            say(f"Content is valid: {len(result.site.archive.verslagen)} verslagen, {pages} pages.")
            return EXIT_OK
        if args.command == "import":
            from kamerarchief.importer.cli import run_import

            return run_import(args.sources, config.content, args.force, args.dry_run, args.quiet)
        if args.command == "serve":
            from kamerarchief.serve import serve

            return serve(args.config, args.content, args.output, args.host, args.port, say, args.base_url)
        started = time.perf_counter()
        report = build_reusing_cache(config, args.jobs, progress)
        if report is None:
            say(f"Nothing changed since the last build: {config.output} is up to date "
                f"({time.perf_counter() - started:.2f} s).")
        else:
            index = "search index rebuilt" if report.indexed else "search index unchanged"
            say(f"Built {report.pages} pages ({report.written} changed, {index}) into {config.output} "
                f"in {report.total:.2f} s ({', '.join(f'{k} {v:.2f}' for k, v in report.timings.items())}).")
        return EXIT_OK
    except ConfigError as exc:
        print_errors(exc.errors)
        return EXIT_CONTENT
    except BuildError as exc:
        print_errors(exc.errors)
        return EXIT_CONTENT
    except OutputError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except _search_index_error() as exc:
        print(f"build.py: search index failed; the previous site is unchanged.\n{exc}", file=sys.stderr)
        return EXIT_CONTENT
    except OSError as exc:
        print(f"build.py: error: {exc.strerror or exc}: {exc.filename or ''}; the previous site is unchanged.",
              file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("\nInterrupted; the previous site is unchanged.", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
