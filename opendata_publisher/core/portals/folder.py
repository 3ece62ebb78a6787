"""The local publication folder: the built-in target that needs no account.

``<folder>/<dataset-slug>/`` receives:

- the data files (CSV, GeoJSON, GeoPackage, zipped Shapefile as exported);
- ``metadata/dcat-ap.jsonld`` (DCAT-AP) and ``metadata/iso19139.xml`` (ISO 19139);
- ``LICENCE.txt`` (name and URL of the licence, attribution) and ``README.md`` (what the dataset is);
- ``rapports/``: the check and legal reports (JSON + Markdown) given in :attr:`FolderAdapter.attachments`;
- ``historique.json``: one entry per publication;
- ``manifest.json``: every file above with its size and SHA-256 checksum.

Publishing again with the stored :class:`DatasetRef` (or the same title) updates the same folder: data files
no longer published are removed, the history grows.

A publication never leaves mixed versions: the complete new version is built in a staging folder beside the
dataset folder (``.<slug>.nouveau-<id>``; unchanged files are hard links), then switched in by one atomic
exchange (Linux ``renameat2``) or, elsewhere, by two renames that keep the previous version aside
(``.<slug>.ancien-<id>``) until the switch succeeded. ``.<slug>.verrou`` (pid,
host) stops a second publication of the same dataset; a lock whose process is gone is stale. A run killed at
any moment leaves the published folder as it was (or aside, put back by the next run, which also removes
the leftovers). Files are created exclusively in folders the plugin made: a symbolic link planted in the
dataset folder is neither followed nor kept. Apart from these hidden names and the temporary exports
(``.opendata_publisher-travail-…``, see :func:`work_folder`), nothing outside ``<folder>/<dataset-slug>/``
is touched.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import hashlib
import json
import os
import re
import shutil
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Tuple
from urllib.parse import quote

from ..text import ascii_slug
from .base import (
    DatasetRef,
    Organisation,
    PortalAdapter,
    PortalError,
    PortalLicence,
    Progress,
    PublishRequest,
    PublishResult,
)

MANIFEST = "manifest.json"
HISTORY = "historique.json"
MANIFEST_FORMAT = "opendata_publisher/dossier-de-publication"
CHUNK = 1024 * 1024


def slugify(text: str, limit: int = 80) -> str:
    """``"Parkings d'Orléans 2024"`` → ``"parkings-d-orleans-2024"``."""
    return ascii_slug(text, limit)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _now() -> str:
    return datetime.datetime.now().astimezone().replace(microsecond=0).isoformat()


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _os_problem(exc: OSError, path: Path, folder: Optional[Path] = None) -> PortalError:
    """The French message for a failed write of ``path`` (the real file, in the published folder)."""
    folder = folder or path.parent
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG):
        return PortalError(
            f"Le disque est plein : impossible d'écrire {path}. Le dossier de publication garde sa version "
            "précédente. Libérez de la place ou choisissez un autre dossier de publication, puis relancez.",
            kind="too-large",
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return PortalError(
            f"Le dossier de publication {folder} n'est pas accessible en écriture. Choisissez un dossier où vous "
            "avez le droit d'écrire (Préférences > Options > Données ouvertes), ou demandez ce droit.",
            kind="forbidden",
        )
    return PortalError(
        f"Écriture impossible dans le dossier de publication ({path} : {exc.strerror or exc}). Le dossier garde sa "
        "version précédente. Vérifiez le dossier, puis réessayez.",
        kind="other",
    )


# -- staging, switch, lock, recovery -----------------------------------------------------------------------

STAGING_MARK = ".nouveau-"  # <root>/.<slug>.nouveau-<id>: the new version being built
OLD_MARK = ".ancien-"  # <root>/.<slug>.ancien-<id>: the previous version during the switch
LOCK_SUFFIX = ".verrou"  # <root>/.<slug>.verrou: who is publishing this dataset
WORK_PREFIX = ".opendata_publisher-travail-"  # <root>/.opendata_publisher-travail-<host>-<pid>-<id>: exports
FIXED_FILES = (
    "metadata/dcat-ap.jsonld",
    "metadata/iso19139.xml",
    "LICENCE.txt",
    "README.md",
    HISTORY,
    MANIFEST,
)
STALE_LOCK_HOURS = 24  # a lock from another computer older than this is abandoned


def _host() -> str:
    import socket

    return socket.gethostname() or "poste"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class FolderLock:
    """``<root>/.<slug>.verrou``, created exclusively, holding the publisher's pid, host and start time.

    A lock whose process is gone (same computer), or from another computer and older than
    :data:`STALE_LOCK_HOURS`, is stale: it is removed and taken. Otherwise the publication stops with a
    French message saying who holds it."""

    def __init__(self, root: Path, slug: str):
        self.path = root / f".{slug}{LOCK_SUFFIX}"
        self.token = uuid.uuid4().hex
        self.held = False

    def __enter__(self) -> FolderLock:
        content = json.dumps(
            {"pid": os.getpid(), "host": _host(), "started": _now(), "token": self.token}, ensure_ascii=False
        ).encode("utf-8")
        for _attempt in range(3):
            try:
                handle = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if holder is None:
                    continue  # stale lock removed: try again
                raise PortalError(holder, kind="conflict") from None
            except OSError as exc:
                raise _os_problem(exc, self.path, self.path.parent) from exc
            try:
                os.write(handle, content)
            finally:
                os.close(handle)
            self.held = True
            return self
        raise PortalError(f"Le verrou {self.path} n'a pas pu être pris. Réessayez dans un instant.", kind="conflict")

    def _holder(self) -> Optional[str]:
        """The French message about a live holder, or None after removing a stale lock."""
        try:
            info = os.lstat(self.path)
            data = json.loads(self.path.read_text(encoding="utf-8")) if not os.path.islink(self.path) else {}
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            data, info = {}, None
        data = data if isinstance(data, dict) else {}
        age = (datetime.datetime.now().timestamp() - info.st_mtime) if info is not None else 0
        pid, host = data.get("pid"), str(data.get("host") or "")
        if isinstance(pid, int) and host == _host():
            stale = not _pid_alive(pid)
        else:
            stale = age > STALE_LOCK_HOURS * 3600 or (not data and age > 60)
        if stale:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
            return None
        who = f"poste {host}, processus {pid}" if host else "un autre processus"
        since = f", depuis {data.get('started')}" if data.get("started") else ""
        return (
            f"Une autre publication de ce jeu de données est en cours dans {self.path.parent} ({who}{since}). "
            f"Attendez qu'elle se termine, puis relancez. Si aucune publication n'est en cours, supprimez le "
            f"fichier {self.path}."
        )

    def __exit__(self, *exc) -> None:
        if not self.held:
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if isinstance(data, dict) and data.get("token") == self.token:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        self.held = False


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic rename (Linux ``renameat2(RENAME_EXCHANGE)``). False when the system
    or the file system cannot (the caller then uses two renames)."""
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(str(first)), at_fdcwd, os.fsencode(str(second)), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, getattr(errno, "ENOTSUP", -1), getattr(errno, "EOPNOTSUPP", -1)):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _switch(staging: Path, target: Path) -> None:
    """Put ``staging`` in the place of ``target`` in one rename: an atomic exchange where the system allows
    it, else the previous version is moved aside and kept until the switch succeeded (a run killed between
    the two renames is repaired by :func:`recover`)."""
    if not os.path.lexists(target):
        os.rename(staging, target)
        return
    if not os.path.islink(target) and _exchange(staging, target):
        _remove(staging)  # now the previous version
        return
    old = target.with_name(f".{target.name}{OLD_MARK}{uuid.uuid4().hex[:12]}")
    os.rename(target, old)  # a symbolic link is moved, never followed
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(old, target)
        raise
    _remove(old)


def _remove(path: Path) -> None:
    if os.path.islink(path) or path.is_file():
        with contextlib.suppress(OSError):
            os.unlink(path)
    else:
        shutil.rmtree(path, ignore_errors=True)


def recover(root: Path, slug: str) -> bool:
    """Clean what a killed run left for ``slug`` (called with the lock held): staging folders are removed;
    a previous version moved aside is put back when the dataset folder is missing, removed otherwise; export
    folders of dead processes of this computer are removed. True when a previous version was put back."""
    restored = False
    target = root / slug
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return False
    for name in names:
        path = root / name
        if name.startswith(f".{slug}{STAGING_MARK}"):
            _remove(path)
        elif name.startswith(f".{slug}{OLD_MARK}"):
            if not os.path.lexists(target):
                os.rename(path, target)
                restored = True
            else:
                _remove(path)
        elif name.startswith(WORK_PREFIX):
            parts = name[len(WORK_PREFIX) :].rsplit("-", 2)
            if len(parts) == 3 and parts[0] == _safe_host() and parts[1].isdigit() and not _pid_alive(int(parts[1])):
                _remove(path)
    return restored


def _set_aside(root: Path, slug: str) -> bool:
    """Whether a killed run left the previous version of ``slug`` aside (:func:`recover` puts it back)."""
    try:
        return any(name.startswith(f".{slug}{OLD_MARK}") for name in os.listdir(root))
    except OSError:
        return False


def _carry_over(target: Path, staging: Path, replaced) -> None:
    """Link (or copy) into ``staging`` the files of the published version that the new one keeps: every
    regular file except those it replaces or drops. Symbolic links and leftovers (``.name``) are not kept."""
    for folder, dirs, files in os.walk(target, followlinks=False):
        relative_folder = os.path.relpath(folder, target)
        dirs[:] = [d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d))]
        for name in files:
            source = os.path.join(folder, name)
            relative = os.path.normpath(os.path.join(relative_folder, name)).replace(os.sep, "/")
            if name.startswith(".") or relative in replaced or os.path.islink(source) or not os.path.isfile(source):
                continue
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, destination, follow_symlinks=False)
            except OSError:
                shutil.copy2(source, destination, follow_symlinks=False)


def _safe_host() -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", _host())[:40] or "poste"


def work_folder(root) -> Optional[Path]:
    """A new folder for the temporary exports, inside the publication folder (same disk, found and cleaned
    by the next run if this one is killed); None when it cannot be created there."""
    root = Path(root).expanduser()
    path = root / f"{WORK_PREFIX}{_safe_host()}-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        path.mkdir()
    except OSError:
        return None
    return path


class FolderAdapter(PortalAdapter):
    """Publish to ``connection.base_url`` (a local folder). See the module docstring."""

    portal_type = "folder"

    def __init__(self, connection):
        super().__init__(connection)
        #: name in ``rapports/`` -> file to copy there (set by the publishing pipeline)
        self.attachments: Dict[str, Path] = {}

    # -- questions ---------------------------------------------------------------------------------------

    @property
    def root(self) -> Path:
        return Path(self.connection.base_url).expanduser()

    def test_connection(self, feedback=None) -> List[Organisation]:
        root = self.root
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _os_problem(exc, root, root) from exc
        if not os.access(root, os.W_OK):
            raise _os_problem(OSError(13, "Permission denied"), root, root)
        return [Organisation(id="local", name=f"Dossier local {root}", slug="local")]

    def licences(self, feedback=None) -> List[PortalLicence]:
        from ..metadata import vocabulary

        return [
            PortalLicence(id=e["id"], title=e.get("title_fr") or e["id"], url=e.get("url") or "")
            for e in vocabulary.licences()
        ]

    def dataset_exists(self, ref: DatasetRef, feedback=None) -> bool:
        return bool(ref.dataset_id) and ((self.root / ref.dataset_id).is_dir() or _set_aside(self.root, ref.dataset_id))

    def dataset_page_url(self, ref: DatasetRef) -> str:
        return (self.root / ref.dataset_id).resolve().as_uri()

    # -- publication -------------------------------------------------------------------------------------

    def _target(self, request: PublishRequest) -> Tuple[Path, bool]:
        """(dataset folder, updating an existing publication?)."""
        description = request.description
        if request.ref is not None and request.ref.dataset_id:
            target = self.root / request.ref.dataset_id
            if target.is_dir() or _set_aside(self.root, target.name):  # set aside by a killed run: put back
                return target, True
            if not request.recreate_if_deleted:
                raise PortalError(
                    f"Le dossier de publication {target} a été supprimé depuis la dernière publication. Confirmez "
                    "pour le recréer, ou publiez comme un nouveau jeu de données.",
                    kind="deleted",
                )
            return target, False
        base = slugify(description.title) or slugify(description.identifier) or "jeu-de-donnees"
        candidate, number = base, 1
        while (self.root / candidate).exists():
            manifest = _read_json(self.root / candidate / MANIFEST) or {}
            if manifest.get("title") == description.title:
                return self.root / candidate, True  # same dataset published again
            number += 1
            candidate = f"{base}-{number}"
        return self.root / candidate, False

    def publish(self, request: PublishRequest, progress: Optional[Progress] = None, feedback=None) -> PublishResult:
        target, updating = self._target(request)
        if request.dry_run:
            return self._result(request, target, updating, dry_run=True)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _os_problem(exc, self.root, self.root) from exc
        with FolderLock(self.root, target.name):
            recover(self.root, target.name)  # what a killed run left: a version set aside is put back
            locked = target
            target, updating = self._target(request)  # again, now that nobody else publishes it
            if target != locked:
                raise PortalError(
                    f"Une autre publication vient de créer le dossier {locked} pour un autre jeu de données. "
                    "Relancez la publication : elle prendra un autre dossier.",
                    kind="conflict",
                )
            staging = self.root / f".{target.name}{STAGING_MARK}{uuid.uuid4().hex[:12]}"
            current = target
            try:
                staging.mkdir()
                self._write(request, target, staging, updating, progress, feedback)
                current = target
                _switch(staging, target)
            except OSError as exc:
                shutil.rmtree(staging, ignore_errors=True)
                where = getattr(exc, "odp_path", None) or current
                raise _os_problem(exc, Path(where), target) from exc
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        return self._result(request, target, updating)

    def _result(self, request, target: Path, updating: bool, dry_run: bool = False) -> PublishResult:
        ref = DatasetRef(
            portal_type="folder",
            base_url=str(self.root),
            dataset_id=target.name,
            resource_ids={f.format: f.path.name for f in request.files},
            dataset_url=target.resolve().as_uri(),
        )
        resource_urls = {f.format: (target / f.path.name).resolve().as_uri() for f in request.files}
        action = "mis à jour" if updating else "créé"
        if dry_run:
            self._check_writable(target)
            message = f"Simulation : rien n'a été écrit ; le dossier {target} serait {action}."
        else:
            message = f"Jeu de données {action} dans {target}."
        return PublishResult(
            ref=ref, dataset_url=ref.dataset_url, resource_urls=resource_urls, created=not updating, messages=[message]
        )

    def _check_writable(self, target: Path) -> None:
        probe = target if target.exists() else self.root
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        if not os.access(probe, os.W_OK):
            raise _os_problem(OSError(13, "Permission denied"), target, target)

    def _write(self, request, target: Path, staging: Path, updating: bool, progress, feedback) -> None:
        """The complete new version in ``staging`` (the published folder is not touched)."""
        from ..metadata.dcat import to_jsonld
        from ..metadata.iso19139 import to_iso19139

        description = request.description
        previous = _read_json(target / MANIFEST) if updating else None
        previous = previous if isinstance(previous, dict) else {}
        entries: List[Dict] = []
        new_names = [f.path.name for f in request.files]
        written = set(new_names) | set(FIXED_FILES) | {f"rapports/{name}" for name in self.attachments}
        stale = {
            str(old.get("path"))
            for old in previous.get("files", [])
            if isinstance(old, dict) and old.get("role") == "donnees" and old.get("path") not in new_names
        }
        if updating:
            _carry_over(target, staging, written | stale)

        total = sum(f.path.stat().st_size for f in request.files) or 1
        done = 0
        known = {}  # checksums the pipeline computed: the files are not read again
        for publish_file in request.files:
            name = publish_file.path.name
            if publish_file.movable and self._move(publish_file.path, staging / name, target / name):
                done += (staging / name).stat().st_size
                if progress is not None:
                    progress(done, total, f"Copie de {name} dans le dossier de publication")
                if feedback is not None and feedback.isCanceled():
                    raise PortalError(
                        "Publication annulée : le dossier de publication garde sa version précédente.",
                        kind="cancelled",
                    )
            else:
                done = self._copy(publish_file.path, staging / name, target / name, done, total, progress, feedback)
            if publish_file.sha256:
                known[name] = publish_file.sha256
            entries.append(
                {"path": name, "role": "donnees", "format": publish_file.format, "title": publish_file.title}
            )

        dataset_id = target.name
        self._text(staging, target, "metadata/dcat-ap.jsonld", to_jsonld(description))
        entries.append({"path": "metadata/dcat-ap.jsonld", "role": "metadonnees", "format": "jsonld"})
        self._text(staging, target, "metadata/iso19139.xml", to_iso19139(description, file_identifier=dataset_id))
        entries.append({"path": "metadata/iso19139.xml", "role": "metadonnees", "format": "xml"})

        licence = self._licence(description)
        self._text(staging, target, "LICENCE.txt", self._licence_text(description, licence))
        entries.append({"path": "LICENCE.txt", "role": "licence", "format": "txt"})
        self._text(staging, target, "README.md", self._readme(description, licence, request))
        entries.append({"path": "README.md", "role": "presentation", "format": "md"})

        for name, source in sorted(self.attachments.items()):
            self._copy(Path(source), staging / "rapports" / name, target / "rapports" / name, 0, 0, None, feedback)
            entries.append({"path": f"rapports/{name}", "role": "rapport", "format": Path(name).suffix[1:]})

        when = _now()
        history = _read_json(target / HISTORY) if updating else None
        history = history if isinstance(history, list) else []
        history.append(
            {
                "date": when,
                "action": "mise à jour" if updating else "création",
                "files": sorted(new_names),
                "schema": {"name": description.schema.name, "version": description.schema.version},
            }
        )
        self._text(staging, target, HISTORY, json.dumps(history, ensure_ascii=False, indent=2))
        entries.append({"path": HISTORY, "role": "historique", "format": "json"})

        for entry in entries:
            path = staging / entry["path"]
            entry["size"] = path.stat().st_size
            entry["sha256"] = known.get(entry["path"]) or sha256_of(path)
        manifest = {
            "format": MANIFEST_FORMAT,
            "version": 1,
            "dataset": dataset_id,
            "title": description.title,
            "identifier": description.identifier,
            "created": previous.get("created") or when,
            "updated": when,
            "licence": licence,
            "schema": {"name": description.schema.name, "version": description.schema.version},
            "files": entries,
        }
        self._text(staging, target, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))

    # -- helpers -----------------------------------------------------------------------------------------

    @staticmethod
    def _text(staging: Path, target: Path, relative: str, text: str) -> None:
        """A new file in the staging folder (created exclusively: never through a planted link)."""
        path = staging / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as stream:
                stream.write((text if text.endswith("\n") else text + "\n").encode("utf-8"))
        except OSError as exc:
            exc.odp_path = str(target / relative)
            raise

    @staticmethod
    def _move(source: Path, destination: Path, shown: Path) -> bool:
        """Move a temporary export of the pipeline into the staging folder (same disk: one rename, no copy);
        False when it cannot (another disk): the caller copies it."""
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            if destination.exists() or destination.is_symlink():
                return False
            os.rename(source, destination)
        except OSError as exc:
            if exc.errno in (errno.EXDEV, errno.EPERM, errno.EACCES, errno.ENOTSUP):
                return False
            exc.odp_path = str(shown)
            raise
        return True

    @staticmethod
    def _copy(source: Path, destination: Path, shown: Path, done: int, total: int, progress, feedback) -> int:
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            with open(source, "rb") as src, open(destination, "xb") as dst:
                for block in iter(lambda: src.read(CHUNK), b""):
                    if feedback is not None and feedback.isCanceled():
                        raise PortalError(
                            "Publication annulée : le dossier de publication garde sa version précédente.",
                            kind="cancelled",
                        )
                    dst.write(block)
                    done += len(block)
                    if progress is not None and total:
                        progress(done, total, f"Copie de {shown.name} dans le dossier de publication")
        except OSError as exc:
            exc.odp_path = str(shown)
            raise
        return done

    @staticmethod
    def _licence(description) -> Dict[str, str]:
        from ..metadata.licences import licence_entry, recognise_licence

        entry = licence_entry(description.licence) or recognise_licence(description.licence)
        if entry is None:
            return {"id": description.licence, "title": description.licence, "url": description.licence_url}
        return {
            "id": entry["id"],
            "title": entry.get("title_fr") or entry["id"],
            "url": description.licence_url or entry.get("url") or "",
        }

    @staticmethod
    def _licence_text(description, licence: Dict[str, str]) -> str:
        lines = [
            f"Licence : {licence.get('title') or 'non précisée'}",
            f"Texte de la licence : {licence.get('url') or 'non précisé'}",
        ]
        if description.attribution:
            lines.append(f"Attribution à mentionner : {description.attribution}")
        if description.licence_justification:
            lines.append(f"Justification du choix : {description.licence_justification}")
        if description.licence_homologation:
            lines.append(f"Homologation : {description.licence_homologation}")
        return "\n".join(lines) + "\n"

    @staticmethod
    def _readme(description, licence: Dict[str, str], request: PublishRequest) -> str:
        """README.md: every text from the description or the layer is escaped (no HTML, no link made of it
        except http(s)/mailto targets)."""
        from ..markdown import md_link, md_text, md_url

        lines = [f"# {md_text(description.title) or 'Jeu de données'}", ""]
        if description.description:
            lines += [md_text(description.description.strip(), inline=False), ""]
        lines.append(f"- Licence : {md_link(licence.get('title') or 'non précisée', licence.get('url'))}")
        producer = description.producer.name or description.publisher.name
        if producer:
            lines.append(f"- Producteur : {md_text(producer)}")
        if description.contact.email:
            email = md_text(description.contact.email)
            target = md_url(f"mailto:{description.contact.email.strip()}")
            contact = f"[{email}]({target})" if target else email
            lines.append(f"- Contact : {md_text(description.contact.name)} {contact}".replace("  ", " "))
        if description.schema.name:
            schema = f"{description.schema.name} {description.schema.version}".rstrip()
            lines.append(f"- Schéma de données : {md_text(schema)}")
        if description.keywords:
            lines.append(f"- Mots-clés : {', '.join(md_text(k) for k in description.keywords)}")
        lines += ["", "## Fichiers", ""]
        for publish_file in request.files:
            name = publish_file.path.name
            lines.append(f"- [{md_text(name)}]({quote(name)}) — {md_text(publish_file.title)}")
        lines += [
            "- `metadata/dcat-ap.jsonld` (DCAT-AP), `metadata/iso19139.xml` (ISO 19139)",
            "- `manifest.json` : empreintes SHA-256 de tous les fichiers",
            "",
        ]
        return "\n".join(lines)
