"""Processing algorithm ``opendata_publisher:check_profile``: check a shared profile of the territory
(for the SIG team who writes it) — its JSON Schema, every commune code against the official list, the
naming rules, and optionally that each shared portal answers."""

from __future__ import annotations

import json

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)

from ..core.safe_write import WriteError, write_text
from .base import OpenDataAlgorithm

#: a light request on each portal type's API (no key needed)
PORTAL_PROBES = {
    "udata": "/api/1/site/",
    "ckan": "/api/3/action/status_show",
    "opendatasoft": "/api/explore/v2.1/catalog/datasets?limit=1",
}


class CheckProfileAlgorithm(OpenDataAlgorithm):
    INPUT = "INPUT"
    CHECK_PORTALS = "CHECK_PORTALS"
    OUTPUT_REPORT = "OUTPUT_REPORT"
    VALID = "VALID"
    ERROR_COUNT = "ERROR_COUNT"
    PROFILE_NAME = "PROFILE_NAME"
    MEMBER_COUNT = "MEMBER_COUNT"

    def name(self) -> str:
        return "check_profile"

    def displayName(self) -> str:
        return self.tr("Check a shared profile of the territory")

    def group(self) -> str:
        return self.tr("Check")

    def groupId(self) -> str:
        return "check"

    def shortHelpString(self) -> str:
        return self.tr(
            "For the SIG team who writes the shared profile of the metropolis and its communes (the common open "
            "data language): checks the profile file against its JSON Schema (metadata/profile.schema.json), "
            "every SIREN key, every commune's INSEE code and name against the official list of communes, the "
            "portals each member's organisation refers to, the licence, frequency and theme codes and the "
            "placeholders of the naming rules.\n"
            "INPUT is a path or an http(s) URL; left empty, the shared profile configured in the plugin settings "
            "is checked. With CHECK_PORTALS, each shared portal is asked a light public request (no key).\n"
            "The algorithm fails (non-zero exit status in qgis_process) when the profile is not valid; the JSON "
            "report lists every problem either way."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterString(
                self.INPUT, self.tr("Profile (path or URL; empty = the configured profile)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.CHECK_PORTALS, self.tr("Check that each portal answers"), False)
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_REPORT, self.tr("Report (JSON)"), self.tr("JSON files (*.json)"), optional=True
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.VALID, self.tr("1 when the profile is valid")))
        self.addOutput(QgsProcessingOutputNumber(self.ERROR_COUNT, self.tr("Number of problems")))
        self.addOutput(QgsProcessingOutputString(self.PROFILE_NAME, self.tr("Profile name and version")))
        self.addOutput(QgsProcessingOutputNumber(self.MEMBER_COUNT, self.tr("Number of members")))

    def processAlgorithm(self, parameters, context, feedback):
        from ..core import shared_profile
        from ..toolbelt.network import NetworkError, fetch_bytes, request
        from ..toolbelt.settings import PluginSettings

        source = (self.parameterAsString(parameters, self.INPUT, context) or "").strip()
        if not source:
            source = PluginSettings.load().shared_profile.strip()
            if not source:
                raise QgsProcessingException(
                    self.tr(
                        "No profile given and no shared profile configured (Options › Données ouvertes, or the "
                        "QGIS_OPENDATA_PUBLISHER_SHARED_PROFILE environment variable)."
                    )
                )
        feedback.pushInfo(self.tr("Profile: {source}").format(source=source))
        problems = []
        warnings = []
        profile = None
        try:
            document = shared_profile.decode_profile(fetch_bytes(source), source)
        except NetworkError as exc:
            problems.append(exc.message())
            document = None
        except shared_profile.ProfileError as exc:
            problems.append(str(exc))
            document = None
        if document is not None:
            communes = shared_profile.official_communes()
            if communes is None:
                warnings.append(self.tr("Official commune list unavailable: INSEE codes checked by shape only."))
            problems.extend(shared_profile.check_profile_document(document, communes))
            if not problems:
                profile = shared_profile.parse_profile(document, communes)
        portals = []
        if profile is not None and self.parameterAsBoolean(parameters, self.CHECK_PORTALS, context):
            for portal in profile.portals:
                if feedback.isCanceled():
                    break
                entry = {"id": portal.id, "url": portal.url}
                if portal.placeholder:
                    entry["status"] = "placeholder"
                    warnings.append(
                        self.tr("Portal {name}: example address ({url}), not tried.").format(
                            name=portal.name, url=portal.url
                        )
                    )
                else:
                    try:
                        status, _headers, _body = request(
                            "GET", portal.url + PORTAL_PROBES[portal.type], timeout_s=20, feedback=feedback
                        )
                        entry["status"] = status
                        feedback.pushInfo(self.tr("Portal {name} answers.").format(name=portal.name))
                    except NetworkError as exc:
                        entry["status"] = "error"
                        entry["error"] = exc.message()
                        problems.append(
                            self.tr("Portal {name} ({url}) does not answer: {error}").format(
                                name=portal.name, url=portal.url, error=exc.message()
                            )
                        )
                portals.append(entry)
        for text in warnings:
            feedback.pushWarning(text)
        for text in problems:
            feedback.reportError(text)
        results = {
            self.VALID: 0 if problems else 1,
            self.ERROR_COUNT: len(problems),
            self.PROFILE_NAME: profile.label if profile else "",
            self.MEMBER_COUNT: len(profile.members) if profile else 0,
        }
        report_path = self.parameterAsFileOutput(parameters, self.OUTPUT_REPORT, context)
        if report_path:
            report = {
                "profile": source,
                "valid": not problems,
                "name": profile.name if profile else None,
                "version": profile.version if profile else None,
                "members": len(profile.members) if profile else 0,
                "problems": problems,
                "warnings": warnings,
                "portals": portals,
            }
            try:
                path = write_text(
                    report_path,
                    json.dumps(report, ensure_ascii=False, indent=2),
                    "Le rapport de vérification du profil",
                )
            except WriteError as exc:  # French message naming the file and why (disk full, read-only…)
                raise QgsProcessingException(str(exc)) from exc
            results[self.OUTPUT_REPORT] = str(path)
        if problems:
            raise QgsProcessingException(
                self.tr("The profile is not valid ({count} problem(s)):\n{problems}").format(
                    count=len(problems), problems="\n".join(f"- {p}" for p in problems[:20])
                )
            )
        feedback.pushInfo(
            self.tr("Valid profile: {label}, {count} members.").format(label=profile.label, count=len(profile.members))
        )
        return results
