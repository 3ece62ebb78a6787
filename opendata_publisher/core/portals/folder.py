"""The local publication folder: the built-in target that needs no account.

``<folder>/<dataset-slug>/`` receives:

- the data files (CSV, GeoJSON, GeoPackage, zipped Shapefile as exported);
- ``metadata/dcat-ap.jsonld`` (DCAT-AP) and ``metadata/iso19139.xml`` (ISO 19139);
- ``LICENCE.txt`` (name and URL of the licence, attribution) and ``README.md`` (what the dataset is);
- ``rapports/``: the check and legal reports (JSON + Markdown) given in :attr:`FolderAdapter.attachments`;
- ``historique.json``: one entry per publication;
- ``manifest.json``: every file above with its size and SHA-256 checksum.

Publishing again with the stored :class:`DatasetRef` (or the same title) updates the same folder: files are
replaced atomically, data files no longer published are removed, the history grows. Nothing outside
``<folder>/<dataset-slug>/`` is touched.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from pathlib import Path
from typing import Dict, List, Optional, Tuple

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


def _os_problem(exc: OSError, path: Path) -> PortalError:
    import errno

    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return PortalError(
            f"Le disque est plein : impossible d'écrire {path}. Libérez de la place ou choisissez un autre dossier "
            "de publication, puis relancez.",
            kind="too-large",
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return PortalError(
            f"Le dossier de publication {path.parent} n'est pas accessible en écriture. Choisissez un dossier où vous "
            "avez le droit d'écrire (Préférences > Options > Données ouvertes), ou demandez ce droit.",
            kind="forbidden",
        )
    return PortalError(
        f"Écriture impossible dans le dossier de publication ({path} : {exc.strerror or exc}). Vérifiez le dossier, "
        "puis réessayez.",
        kind="other",
    )


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
            raise _os_problem(exc, root / "x") from exc
        if not os.access(root, os.W_OK):
            raise _os_problem(OSError(13, "Permission denied"), root / "x")
        return [Organisation(id="local", name=f"Dossier local {root}", slug="local")]

    def licences(self, feedback=None) -> List[PortalLicence]:
        from ..metadata import vocabulary

        return [
            PortalLicence(id=e["id"], title=e.get("title_fr") or e["id"], url=e.get("url") or "")
            for e in vocabulary.licences()
        ]

    def dataset_exists(self, ref: DatasetRef, feedback=None) -> bool:
        return bool(ref.dataset_id) and (self.root / ref.dataset_id).is_dir()

    def dataset_page_url(self, ref: DatasetRef) -> str:
        return (self.root / ref.dataset_id).resolve().as_uri()

    # -- publication -------------------------------------------------------------------------------------

    def _target(self, request: PublishRequest) -> Tuple[Path, bool]:
        """(dataset folder, updating an existing publication?)."""
        description = request.description
        if request.ref is not None and request.ref.dataset_id:
            target = self.root / request.ref.dataset_id
            if target.is_dir():
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
        ref = DatasetRef(
            portal_type="folder",
            base_url=str(self.root),
            dataset_id=target.name,
            resource_ids={f.format: f.path.name for f in request.files},
            dataset_url=target.resolve().as_uri(),
        )
        resource_urls = {f.format: (target / f.path.name).resolve().as_uri() for f in request.files}
        if request.dry_run:
            self._check_writable(target)
            action = "mis à jour" if updating else "créé"
            return PublishResult(
                ref=ref,
                dataset_url=ref.dataset_url,
                resource_urls=resource_urls,
                created=not updating,
                messages=[f"Simulation : rien n'a été écrit ; le dossier {target} serait {action}."],
            )
        try:
            return self._write(request, target, updating, ref, resource_urls, progress, feedback)
        except OSError as exc:
            raise _os_problem(exc, Path(exc.filename or target / "x")) from exc

    def _check_writable(self, target: Path) -> None:
        probe = target if target.exists() else self.root
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        if not os.access(probe, os.W_OK):
            raise _os_problem(OSError(13, "Permission denied"), target / "x")

    def _write(self, request, target, updating, ref, resource_urls, progress, feedback) -> PublishResult:
        from ..metadata.dcat import to_jsonld
        from ..metadata.iso19139 import to_iso19139

        description = request.description
        target.mkdir(parents=True, exist_ok=True)
        previous = _read_json(target / MANIFEST) or {}
        entries: List[Dict] = []
        total = sum(f.path.stat().st_size for f in request.files) or 1
        done = 0

        for publish_file in request.files:
            name = publish_file.path.name
            done = self._copy(publish_file.path, target / name, done, total, progress, feedback)
            entries.append(
                {"path": name, "role": "donnees", "format": publish_file.format, "title": publish_file.title}
            )
        new_names = {e["path"] for e in entries}
        for old in previous.get("files", []):
            if old.get("role") == "donnees" and old.get("path") not in new_names:
                stale = target / str(old.get("path"))
                if stale.is_file() and stale.parent == target:
                    stale.unlink()

        (target / "metadata").mkdir(exist_ok=True)
        self._text(target / "metadata" / "dcat-ap.jsonld", to_jsonld(description))
        entries.append({"path": "metadata/dcat-ap.jsonld", "role": "metadonnees", "format": "jsonld"})
        self._text(target / "metadata" / "iso19139.xml", to_iso19139(description, file_identifier=ref.dataset_id))
        entries.append({"path": "metadata/iso19139.xml", "role": "metadonnees", "format": "xml"})

        licence = self._licence(description)
        self._text(target / "LICENCE.txt", self._licence_text(description, licence))
        entries.append({"path": "LICENCE.txt", "role": "licence", "format": "txt"})
        self._text(target / "README.md", self._readme(description, licence, request))
        entries.append({"path": "README.md", "role": "presentation", "format": "md"})

        if self.attachments:
            (target / "rapports").mkdir(exist_ok=True)
            for name, source in sorted(self.attachments.items()):
                self._copy(Path(source), target / "rapports" / name, 0, 0, None, feedback)
                entries.append({"path": f"rapports/{name}", "role": "rapport", "format": Path(name).suffix[1:]})

        when = _now()
        history = _read_json(target / HISTORY)
        history = history if isinstance(history, list) else []
        history.append(
            {
                "date": when,
                "action": "mise à jour" if updating else "création",
                "files": sorted(new_names),
                "schema": {"name": description.schema.name, "version": description.schema.version},
            }
        )
        self._text(target / HISTORY, json.dumps(history, ensure_ascii=False, indent=2))
        entries.append({"path": HISTORY, "role": "historique", "format": "json"})

        for entry in entries:
            path = target / entry["path"]
            entry["size"] = path.stat().st_size
            entry["sha256"] = sha256_of(path)
        manifest = {
            "format": MANIFEST_FORMAT,
            "version": 1,
            "dataset": ref.dataset_id,
            "title": description.title,
            "identifier": description.identifier,
            "created": previous.get("created") or when,
            "updated": when,
            "licence": licence,
            "schema": {"name": description.schema.name, "version": description.schema.version},
            "files": entries,
        }
        self._text(target / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        messages = [f"Jeu de données {'mis à jour' if updating else 'créé'} dans {target}."]
        return PublishResult(
            ref=ref, dataset_url=ref.dataset_url, resource_urls=resource_urls, created=not updating, messages=messages
        )

    # -- helpers -----------------------------------------------------------------------------------------

    @staticmethod
    def _text(path: Path, text: str) -> None:
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        os.replace(temporary, path)

    @staticmethod
    def _copy(source: Path, destination: Path, done: int, total: int, progress, feedback) -> int:
        temporary = destination.with_name(f".{destination.name}.tmp")
        try:
            with open(source, "rb") as src, open(temporary, "wb") as dst:
                for block in iter(lambda: src.read(CHUNK), b""):
                    if feedback is not None and feedback.isCanceled():
                        raise PortalError(
                            "Publication annulée : le dossier de publication garde sa version précédente.",
                            kind="cancelled",
                        )
                    dst.write(block)
                    done += len(block)
                    if progress is not None and total:
                        progress(done, total, f"Copie de {destination.name} dans le dossier de publication")
            os.replace(temporary, destination)
        except BaseException:
            if temporary.exists():
                temporary.unlink()
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
        lines = [f"# {description.title or 'Jeu de données'}", ""]
        if description.description:
            lines += [description.description.strip(), ""]
        lines.append(f"- Licence : [{licence.get('title') or 'non précisée'}]({licence.get('url') or ''})")
        producer = description.producer.name or description.publisher.name
        if producer:
            lines.append(f"- Producteur : {producer}")
        if description.contact.email:
            lines.append(f"- Contact : {description.contact.name} <{description.contact.email}>")
        if description.schema.name:
            lines.append(f"- Schéma de données : {description.schema.name} {description.schema.version}".rstrip())
        if description.keywords:
            lines.append(f"- Mots-clés : {', '.join(description.keywords)}")
        lines += ["", "## Fichiers", ""]
        for publish_file in request.files:
            lines.append(f"- [{publish_file.path.name}]({publish_file.path.name}) — {publish_file.title}")
        lines += [
            "- `metadata/dcat-ap.jsonld` (DCAT-AP), `metadata/iso19139.xml` (ISO 19139)",
            "- `manifest.json` : empreintes SHA-256 de tous les fichiers",
            "",
        ]
        return "\n".join(lines)
