"""Every text users see is translated: the catalogs cover the code and the compiled files match."""

import subprocess
import sys

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.fixtures import ROOT_DIR

TRANSLATIONS = ROOT_DIR / "core" / "translations"
LOCALES = ("zh_CN", "zh_TW")


def source_msgids() -> set[str]:
    method_map = [("core/**.py", "python"), ("tenants/**.py", "python"),
                  ("plugins/**.py", "python"), ("**/templates/**.html", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT_DIR, method_map, keywords={"_": None, "_l": None, "gettext": None,
                                            "lazy_gettext": None}):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_source_text_is_translated_in_each_chinese_catalog():
    wanted = source_msgids()
    assert "Sign in" in wanted
    for locale in LOCALES:
        with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
            catalog = read_po(fh)
        translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
        missing = sorted(wanted - translated)
        assert not missing, f"{locale}: untranslated {missing[:10]} (run scripts/i18n extract)"


def test_compiled_catalogs_match_their_sources():
    for locale in LOCALES:
        folder = TRANSLATIONS / locale / "LC_MESSAGES"
        with open(folder / "messages.po", "rb") as fh:
            po = {m.id: m.string for m in read_po(fh) if m.id}
        with open(folder / "messages.mo", "rb") as fh:
            mo = {m.id: m.string for m in read_mo(fh) if m.id}
        assert po == mo, f"{locale}: messages.mo is stale (run scripts/i18n compile)"


def test_i18n_check_script_passes():
    result = subprocess.run(["bash", str(ROOT_DIR / "scripts" / "i18n"), "check"], cwd=ROOT_DIR,
                            capture_output=True, text=True,
                            env={"PATH": f"{sys.prefix}/bin:/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
