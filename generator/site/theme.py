"""What a site is made from: the project's own templates/ over the bundled theme.

A project's templates/ is as untrusted as its content: a link in it that leads out of
the project (to /etc/passwd, or to /proc/self/environ and the CI secrets in it) would
be rendered or copied into the site. Such links are never followed: `check` reports
each one (E109, :meth:`ContentTree.scan_links`), the template loader refuses them, and
the assets and the cache fingerprint leave them out.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    TemplateNotFound,
    TemplateSyntaxError,
)

from ..content.files import is_hidden
from ..content.tree import within
from ..diagnostics import Report


def theme_dir() -> Path:
    """The default theme shipped with the package (the repository's templates/)."""
    return Path(str(files("generator.theme")))


def template_dirs(root: Path) -> list[tuple[Path, str]]:
    """(folder, the real folder its files must stay in): the project's own templates/
    first, so it can override any theme file by name, then the theme."""
    own, theme = root / "templates", theme_dir()
    real_root, real_own, real_theme = map(os.path.realpath, (root, own, theme))
    if own.is_dir() and within(real_root, real_own) and real_own != real_theme:
        return [(own, real_root), (theme, real_theme)]
    return [(theme, real_theme)]


def _files(folder: Path, bound: str) -> Iterator[Path]:
    """Files under `folder` whose real path stays inside `bound`, in a stable order."""
    for directory, folders, names in os.walk(folder):  # links to folders are not entered
        folders.sort()
        for name in sorted(names):
            path = os.path.join(directory, name)
            if within(bound, os.path.realpath(path)) and os.path.isfile(path):
                yield Path(path)


def template_files(root: Path) -> list[Path]:
    """Every file the templates may read (for the cache's fingerprint)."""
    return [path for folder, bound in template_dirs(root) for path in _files(folder, bound)]


def assets(root: Path) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of the theme's assets; a project's own templates/assets win by name.

    Files and folders whose names start with `_` or `.` are not part of the site.
    """
    found: dict[str, Path] = {}
    for directory, bound in reversed(template_dirs(root)):  # the theme, then the project
        for path in _files(directory / "assets", bound):
            relative = path.relative_to(directory).as_posix()
            if not any(is_hidden(p) for p in relative.split("/")):
                found[relative] = path
    for relative in sorted(found):
        yield relative, found[relative].read_bytes()


class _BoundLoader(FileSystemLoader):
    """A folder's templates, refusing any whose real path leaves `bound`."""

    def __init__(self, folder: Path, bound: str) -> None:
        super().__init__(str(folder))
        self.bound = bound

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not within(self.bound, os.path.realpath(filename)):
            raise TemplateNotFound(template)  # a link out of the project: never rendered
        return source, filename, uptodate


def loader(root: Path) -> BaseLoader:
    """The templates of `root`'s site: its own, then the theme's."""
    return ChoiceLoader([_BoundLoader(folder, bound) for folder, bound in template_dirs(root)])


def check_templates(root: Path, report: Report) -> None:
    """Report each of the project's own templates that does not compile (E601), where it
    breaks: a pull request that breaks one fails `roadmap check`, not the publishing build.

    Compiled in the site's own environment (its filters and globals), never rendered.
    """
    folders = template_dirs(root)
    if len(folders) < 2:  # no templates/ of its own: the theme is known to compile
        return
    from .rendering import environment  # here: the renderer is not needed otherwise

    env = environment(root)
    folder, bound = folders[0]
    for path in _files(folder, bound):
        name = path.relative_to(folder).as_posix()
        if name.split("/")[0] == "assets" or path.suffix not in (".html", ".xml"):
            continue
        try:
            env.get_template(name)
        except TemplateSyntaxError as exc:
            report.add(f"templates/{name}", exc.lineno or 1, 1, "E601", exc.message or str(exc))
        except UnicodeDecodeError:
            report.add(f"templates/{name}", 1, 1, "E601", "the template is not valid UTF-8")
