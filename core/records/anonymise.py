"""Anonymised exports (core.record.anonymised_export): what could identify the person, replaced.

Replaced in the structured fields and inside free text (title, body): the record's own subject
name, phone, e-mail, ID-card number and address wherever they occur literally, plus patterns
of any other such data — mainland mobile and landline numbers, e-mail addresses, 18-digit
ID-card numbers (last character a digit or X), Chinese addresses (…省…市…区…路…号, 小区,
栋, 单元, 室). The tenant's parameter ``replace`` chooses which of the five kinds are replaced.
"""

from __future__ import annotations

import re

PLACEHOLDERS = {
    "name": "【姓名】",
    "phone": "【电话】",
    "email": "【邮箱】",
    "id_card": "【身份证号】",
    "address": "【地址】",
}
KINDS = tuple(PLACEHOLDERS)

# 18-digit resident ID: 6-digit area, birth date 18xx–20xx, 3-digit sequence, check digit/X
ID_CARD = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\d{3}[\dXx](?![0-9A-Za-z])")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Mainland mobile (13x–19x), optionally +86 / 86, written solid or as 3-4-4 with - or spaces
MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)")
# Landline with its area code (010, 020, 0755 …), optional parentheses and extension;
# 400/800 service numbers. Without an area code a 7–8 digit number is too ambiguous.
LANDLINE = re.compile(
    r"(?<!\d)(?:(?:\+|00)?86[-\s]?)?(?:\(0\d{2,3}\)|0\d{2,3})[-\s]?\d{7,8}(?:[-转]\d{1,6})?(?!\d)"
    r"|(?<!\d)[48]00[-\s]?\d{3}[-\s]?\d{4}(?!\d)")

# A Chinese character that may begin a place name. Verbs, pronouns and particles that usually
# stand right before an address ("他住在…", "家在…") are left out, so that the replacement
# does not swallow the words of the sentence in front of the address.
_C = r"(?:(?![在住是的于到从往去过至和与及我你他她它们了也都就说向对把被让给搬离近])[\u4e00-\u9fff])"
_NUM = r"[\d一二三四五六七八九十百零]"
ADDRESS = re.compile(
    rf"(?P<prov>{_C}{{2,8}}(?:省|自治区|特别行政区))?"
    rf"(?P<city>{_C}{{2,8}}(?:市|自治州|盟|地区))?"
    rf"(?P<dist>{_C}{{1,8}}(?:区|县|旗))?"
    rf"(?P<town>{_C}{{1,8}}(?:镇|乡|街道))?"
    rf"(?P<road>(?:{_C}|\d){{1,12}}(?:大道|大街|路|街|巷|弄|胡同)(?:{_NUM}+号)?)?"
    rf"(?P<estate>(?:{_C}|[\dA-Za-z]){{1,12}}(?:小区|花园|公寓|大厦|新村|家园|苑|村))?"
    rf"(?P<bldg>[\dA-Za-z一二三四五六七八九十]+(?:号楼|栋|幢|座))?"
    rf"(?P<unit>{_NUM}+单元)?"
    rf"(?P<room>\d{{1,5}}室|(?<=[栋幢座元])[-－]?\d{{2,5}}室?)?"
)
_PARTS = ("prov", "city", "dist", "town", "road", "estate", "bldg", "unit", "room")


def _is_address(match: re.Match) -> bool:
    """Two parts or more (市+区, 小区+栋, 路+号 …), or a road with its house number."""
    parts = [name for name in _PARTS if match.group(name)]
    if len(parts) >= 2:
        return True
    return parts == ["road"] and match.group("road").endswith("号")


def _replace_addresses(text: str) -> str:
    def substitute(match: re.Match) -> str:
        return PLACEHOLDERS["address"] if match.group(0) and _is_address(match) else match.group(0)

    return ADDRESS.sub(substitute, text)


def _name_variants(name: str) -> list[str]:
    """The full name, and the given name alone (小明 for 王小明, 晓燕 for 欧阳晓燕)."""
    name = name.strip()
    if not name:
        return []
    variants = [name]
    if re.fullmatch(r"[\u4e00-\u9fff]{3}", name):
        variants.append(name[1:])
    elif re.fullmatch(r"[\u4e00-\u9fff]{4}", name):
        variants.append(name[2:])
    return variants


def _literal(text: str, values, placeholder: str) -> str:
    for value in sorted({v.strip() for v in values if v and v.strip()}, key=len, reverse=True):
        text = text.replace(value, placeholder)
    return text


def anonymise_text(text: str, *, replace, subject: dict) -> str:
    """Free text with the chosen kinds of identifying data replaced by placeholders."""
    if not text:
        return text
    replace = set(replace)
    # The record's own values first (exact), then the patterns; ID before phone numbers so
    # that an ID number is never half-taken for a phone number
    if "id_card" in replace:
        text = _literal(text, [subject.get("id_card", "")], PLACEHOLDERS["id_card"])
        text = ID_CARD.sub(PLACEHOLDERS["id_card"], text)
    if "email" in replace:
        text = _literal(text, [subject.get("email", "")], PLACEHOLDERS["email"])
        text = EMAIL.sub(PLACEHOLDERS["email"], text)
    if "phone" in replace:
        text = _literal(text, [subject.get("phone", "")], PLACEHOLDERS["phone"])
        text = MOBILE.sub(PLACEHOLDERS["phone"], text)
        text = LANDLINE.sub(PLACEHOLDERS["phone"], text)
    if "address" in replace:
        text = _literal(text, [subject.get("address", "")], PLACEHOLDERS["address"])
        text = _replace_addresses(text)
    if "name" in replace:
        text = _literal(text, _name_variants(subject.get("name", "")), PLACEHOLDERS["name"])
    return text


STRUCTURED = {
    "subject_name": "name",
    "subject_phone": "phone",
    "subject_email": "email",
    "subject_id_card": "id_card",
    "subject_address": "address",
}
FREE_TEXT = ("title", "body")


def anonymise_fields(values: dict, *, replace) -> dict:
    """A copy of a record's fields (``subject_*``, title, body, …) with identifying data replaced."""
    subject = {kind: values.get(field) or "" for field, kind in STRUCTURED.items()}
    out = dict(values)
    for field, kind in STRUCTURED.items():
        if kind in replace and out.get(field):
            out[field] = PLACEHOLDERS[kind]
    for field in FREE_TEXT:
        if out.get(field):
            out[field] = anonymise_text(out[field], replace=replace, subject=subject)
    return out
