"""Importing organisations and their contact person from a spreadsheet (CSV or XLSX).

The flow is: read the file into a table (`read_table`), recognise its columns (`guess_mapping`),
check every row (`clean_row`), match it to what the CRM already holds (`_Matcher`), and write all
new records in one transaction with a handful of bulk queries (`import_organisations`).

Rules an import keeps, whatever the file says:
- It never creates or alters consent (crm.Consent) and touches nothing newsletter-related: a
  spreadsheet is no proof that someone asked for mail (listmonk #2008, Ghost #16268).
- A row that matches an existing organisation (same vestigingsnummer, KvK number, email address,
  or name + postcode) creates no second one. Matched records only get their EMPTY fields filled;
  nothing already stored is overwritten, and so undoing an import never deletes a matched record
  (the filled-in fields stay: they were empty before, so nobody's data is lost by keeping them).
- Everything an import created is listed in ImportedRecord, so the import can be undone as a whole.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

import phonenumbers
from auditlog.context import disable_auditlog, set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator, validate_email
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.deletion import Collector
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm import tallies
from crm.models import EmailAddress, ImportBatch, ImportedRecord, Organisation, Person, PhoneNumber, Role
from crm.text import normalise, search_document
from crm.validators import (
    POSTCODE,
    normalise_digits,
    normalise_postcode,
    validate_branch_number,
    validate_kvk_number,
)
from stadshart import exports
from stadshart.storage import private_storage

# An upload is held in memory while it is read; 20 MB is far beyond any real list of a centre's
# partners (10,000 rows of CSV are about 2 MB) and keeps one request from exhausting a worker.
MAX_FILE_SIZE = 20 * 1024 * 1024
# An XLSX file is a zip: what it unpacks to is checked against these before anything reads it, so
# a small file that unpacks to gigabytes (a "zip bomb") is refused in milliseconds.
MAX_UNPACKED_SIZE = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200  # real workbooks compress 5-20 times; bombs thousands of times
MAX_ZIP_ENTRIES = 500
# Far beyond a centre's list of partners (a few thousand), and a bound on the work one file makes.
MAX_ROWS = 20_000
MAX_COLUMNS = 100
# How often the progress counter is written while rows are checked.
PROGRESS_EVERY = 500
# Rows per INSERT; keeps statements well below the parameter limits of SQLite and PostgreSQL.
BULK_SIZE = 500

ProgressCallback = Callable[[int, int], None]


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, in words for the user."""


class ImportUndoError(Exception):
    """The import cannot be undone (it is not finished, or was undone already)."""


# The fields a column can be mapped to, in the order the mapping screen shows them.
FIELDS: dict[str, str] = {
    "name": gettext_lazy("Name"),
    "kind": gettext_lazy("Kind"),
    "sector": gettext_lazy("Sector"),
    "kvk_number": gettext_lazy("KvK number"),
    "branch_number": gettext_lazy("Branch number"),
    "street": gettext_lazy("Street"),
    "house_number": gettext_lazy("House number"),
    "house_number_addition": gettext_lazy("Addition"),
    "postcode": gettext_lazy("Postcode"),
    "town": gettext_lazy("Town"),
    "email": gettext_lazy("Email"),
    "phone": gettext_lazy("Phone"),
    "website": gettext_lazy("Website"),
    "contact_name": gettext_lazy("Contact person (full name)"),
    "contact_first_name": gettext_lazy("Contact first name"),
    "contact_infix": gettext_lazy("Contact infix"),
    "contact_last_name": gettext_lazy("Contact last name"),
    "contact_email": gettext_lazy("Contact email"),
    "contact_phone": gettext_lazy("Contact phone"),
    "contact_title": gettext_lazy("Title"),
}

# Column headings as people write them, normalised by `normalise_header`.
_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "naam", "bedrijfsnaam", "bedrijf", "organisatie", "organisatienaam", "handelsnaam", "name",
        "company", "company name", "organisation", "organization", "business", "business name",
    ),
    "kind": ("soort", "type", "categorie", "soort organisatie", "kind", "category"),
    "sector": ("sector", "branche", "industry"),
    "kvk_number": (
        "kvk", "kvk nummer", "kvknummer", "kvk nr", "kvk number", "kvk_number", "coc", "coc number",
        "chamber of commerce number",
    ),
    "branch_number": (
        "vestigingsnummer", "vestigingsnr", "vestiging", "branch number", "establishment number",
    ),
    "street": ("straat", "straatnaam", "adres", "street", "address", "street name"),
    "house_number": ("huisnummer", "huisnr", "nr", "nummer", "house number", "housenumber", "number"),
    "house_number_addition": (
        "toevoeging", "huisnummertoevoeging", "huisnummer toevoeging", "addition",
        "house number addition", "suffix",
    ),
    "postcode": ("postcode", "zip", "zipcode", "zip code", "postal code", "post code"),
    "town": ("plaats", "woonplaats", "vestigingsplaats", "stad", "town", "city", "place"),
    "email": ("email", "e mail", "emailadres", "e mailadres", "mail", "email address", "e mail address"),
    "phone": ("telefoon", "telefoonnummer", "tel", "telefoon nr", "phone", "phone number", "telephone"),
    "website": ("website", "url", "web", "site", "internet", "homepage", "webadres"),
    "contact_name": (
        "contactpersoon", "contact", "contact person", "contact name", "naam contactpersoon",
        "contactpersoon naam",
    ),
    "contact_first_name": (
        "voornaam", "contactpersoon voornaam", "voornaam contactpersoon", "first name", "firstname",
        "contact first name", "given name",
    ),
    "contact_infix": ("tussenvoegsel", "contactpersoon tussenvoegsel", "infix", "contact infix"),
    "contact_last_name": (
        "achternaam", "contactpersoon achternaam", "achternaam contactpersoon", "last name", "lastname",
        "surname", "family name", "contact last name",
    ),
    "contact_email": (
        "contact email", "contact e mail", "contactpersoon email", "contactpersoon e mail",
        "email contactpersoon", "e mail contactpersoon", "contact email address",
    ),
    "contact_phone": (
        "contact telefoon", "contactpersoon telefoon", "telefoon contactpersoon", "mobiel", "mobile",
        "contact phone", "contact mobile", "gsm",
    ),
    "contact_title": (
        "functie", "functie contactpersoon", "contactpersoon functie", "title", "job title", "rol", "role",
        "position",
    ),
}  # fmt: skip


def normalise_header(value: str) -> str:
    """'KvK-nummer ' -> 'kvk nummer', 'E_mail' -> 'e mail': case, accents and punctuation ignored."""
    return re.sub(r"[^a-z0-9]+", " ", normalise(value)).strip()


HEADER_FIELDS: dict[str, str] = {
    normalise_header(alias): target for target, aliases in _ALIASES.items() for alias in aliases
}


# ---------------------------------------------------------------------------------------------
# Reading the file


@dataclass
class Table:
    """A file's rows as text: the header, and each row with the line it came from."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str = ""
    delimiter: str = ""


def too_large_message() -> str:
    return _(
        "The file is larger than %(limit)s MB. Split it into smaller files and import them one by one."
    ) % {"limit": MAX_FILE_SIZE // (1024 * 1024)}


def read_bytes(file: bytes | BinaryIO) -> bytes:
    """The upload's content, refusing files over MAX_FILE_SIZE before reading all of them."""
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        data = file.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        raise ImportFileError(too_large_message())
    return data


def read_table(data: bytes, filename: str) -> Table:
    """The file's rows as text; ImportFileError (saying why, for the user) when it cannot be read.

    Every limit is checked before or while reading, never after: the unpacked size of an XLSX
    (from the zip's directory, before openpyxl opens it), the number of rows and of columns.
    """
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        table = _read_xlsx(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("This is an old Excel file (.xls). Save it as .xlsx or as CSV and upload it again.")
        )
    else:
        table = _read_csv(data)
    if not any(table.headers):
        raise ImportFileError(_("The first line of the file must hold the column names; it is empty."))
    if not table.rows:
        raise ImportFileError(_("The file has column names but no rows below them."))
    return table


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise ImportFileError(
            _(
                "The file is not in a text encoding we can read (it looks like UTF-16 or a binary "
                "file). Save it as CSV UTF-8 or as .xlsx."
            )
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Dutch Excel saves CSV in Windows-1252 unless told otherwise.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file's encoding is not UTF-8 or Windows-1252. Save it as CSV UTF-8 or as .xlsx.")
        ) from None


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = [cell.strip() for cell in next(reader, [])]
        rows = []
        start = reader.line_num + 1
        if len(headers) > MAX_COLUMNS:
            raise _too_many_columns()
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(rows) >= MAX_ROWS:
                    raise _too_many_rows()
                if len(cells) > MAX_COLUMNS:
                    raise _too_many_columns()
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not valid CSV near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None
    return Table(headers=headers, rows=rows, encoding=encoding, delimiter=delimiter)


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows. Split it into smaller files and import them one by one.")
        % {"limit": f"{MAX_ROWS:,}".replace(",", ".")}
    )


def _too_many_columns() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s columns. Remove the columns that are not needed.")
        % {"limit": MAX_COLUMNS}
    )


def check_zip(data: bytes) -> None:
    """Refuse an XLSX whose zip would unpack to too much, judged by its directory alone.

    The sizes in the directory bind: Python's zipfile never hands out more bytes than an entry
    declares (and checks its CRC), so a file that lies about them fails while being read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(_("The file ends in .xlsx but is not a readable Excel workbook.")) from None
    unpacked = sum(entry.file_size for entry in entries)
    too_compressed = any(
        entry.file_size > 1024 * 1024
        and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    if len(entries) > MAX_ZIP_ENTRIES or unpacked > MAX_UNPACKED_SIZE or too_compressed:
        raise ImportFileError(
            _(
                "The workbook unpacks to more than %(limit)s MB, far more than a list of organisations "
                "needs; it was not read. Save the list again as a new .xlsx or as CSV."
            )
            % {"limit": MAX_UNPACKED_SIZE // (1024 * 1024)}
        )


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _read_xlsx(data: bytes) -> Table:
    import openpyxl  # only needed here; keeps the import of this module light

    check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(_("The file ends in .xlsx but is not a readable Excel workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        # One column more than allowed is read, to notice a file that has more.
        lines = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
        headers = [_xlsx_text(value).strip() for value in next(lines, ())]
        rows = []
        for number, values in enumerate(lines, start=2):
            cells = [_xlsx_text(value) for value in values]
            if any(cell.strip() for cell in cells):
                if len(rows) >= MAX_ROWS:
                    raise _too_many_rows()
                rows.append((number, cells))
                if len(cells) > MAX_COLUMNS and cells[MAX_COLUMNS].strip():
                    raise _too_many_columns()
        if len(headers) > MAX_COLUMNS and headers[MAX_COLUMNS]:
            raise _too_many_columns()
    finally:
        workbook.close()
    while headers and not headers[-1]:
        headers.pop()
    return Table(headers=headers, rows=rows, encoding="xlsx")


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Column index (as text, for JSON) -> field, for the headings we recognise; others are ignored.

    A field is taken by its first column only, so a file with "Naam" and "Bedrijfsnaam" imports one.
    """
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        target = HEADER_FIELDS.get(normalise_header(header), "")
        if target and target not in taken:
            mapping[str(index)] = target
            taken.add(target)
    return mapping


def check_mapping(mapping: dict[str, str], headers: list[str]) -> dict[str, str]:
    """The mapping without unknown fields or columns; ImportFileError when no column holds the name."""
    clean = {
        str(index): target
        for index, target in mapping.items()
        if target in FIELDS and str(index).isdigit() and int(index) < len(headers)
    }
    if "name" not in clean.values():
        if len(headers) == 1:
            raise ImportFileError(
                _(
                    "The file has only one column (“%(header)s”). Separate the columns with ; or , "
                    "or save the file as .xlsx."
                )
                % {"header": headers[0][:80]}
            )
        raise ImportFileError(
            _(
                "No column holds the name of the organisation. Name a column “naam” or “name”, or "
                "choose it on the mapping screen. Columns found: %(headers)s."
            )
            % {"headers": ", ".join(f"“{header}”" for header in headers if header)[:500]}
        )
    targets = list(clean.values())
    doubles = {target for target in targets if targets.count(target) > 1}
    if doubles:
        raise ImportFileError(
            _("More than one column is mapped to: %(fields)s.")
            % {"fields": ", ".join(str(FIELDS[target]) for target in sorted(doubles))}
        )
    return clean


# ---------------------------------------------------------------------------------------------
# Checking one row

_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|&#?[a-zA-Z0-9]+;")
_URL = URLValidator(schemes=["http", "https"])


def _choice_lookup(choices, synonyms: dict[str, str]) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[normalise_header(value)] = value
        for language in ("nl", "en"):
            with translation.override(language):
                lookup[normalise_header(str(label))] = value
    lookup.update({normalise_header(word): value for word, value in synonyms.items()})
    return lookup


def _sector_lookup() -> dict[str, str]:
    sector = Organisation.Sector
    return _choice_lookup(
        sector.choices,
        {
            "dagelijks": sector.RETAIL_DAILY,
            "food": sector.RETAIL_DAILY,
            "supermarkt": sector.RETAIL_DAILY,
            "retail": sector.RETAIL_NON_DAILY,
            "detailhandel": sector.RETAIL_NON_DAILY,
            "winkel": sector.RETAIL_NON_DAILY,
            "non food": sector.RETAIL_NON_DAILY,
            "restaurant": sector.HORECA,
            "cafe": sector.HORECA,
            "hotel": sector.HORECA,
            "diensten": sector.SERVICES,
            "zakelijke dienstverlening": sector.SERVICES,
            "cultuur": sector.CULTURE_LEISURE,
            "vrije tijd": sector.CULTURE_LEISURE,
            "zorg": sector.CARE,
            "overig": sector.OTHER,
        },
    )


def _kind_lookup() -> dict[str, str]:
    kind = Organisation.Kind
    return _choice_lookup(
        kind.choices,
        {
            "bedrijf": kind.ENTREPRENEUR,
            "winkel": kind.ENTREPRENEUR,
            "business": kind.ENTREPRENEUR,
            "vastgoed": kind.PROPERTY_OWNER,
            "pandeigenaar": kind.PROPERTY_OWNER,
            "eigenaar": kind.PROPERTY_OWNER,
            "bewoners": kind.RESIDENTS,
            "school": kind.EDUCATION,
            "vvv": kind.CITY_MARKETING,
            "politie": kind.SAFETY,
        },
    )


@dataclass
class CleanRow:
    """One row as it will be imported; `warnings` name what was skipped while keeping the row."""

    line: int
    organisation: dict[str, str]
    contact: dict[str, str] | None
    warnings: list[str] = field(default_factory=list)


class RowRejected(Exception):
    pass


_MAX_LENGTHS = {
    name: Organisation._meta.get_field(name).max_length
    for name in ("name", "street", "house_number", "house_number_addition", "town", "email")
}


def _is_formula(value: str) -> bool:
    # "=…" is always a formula; "+", "-" and "@" only with a call or reference (so "@Home" or
    # "-Zero Waste-" stay names), which is what CSV injection payloads need.
    return value.startswith("=") or (value[:1] in "+-@" and bool(re.search(r"[(!|]", value)))


def _check_text(value: str, label: str, *, formula: bool = False) -> str:
    if _HTML.search(value):
        raise RowRejected(_("%(field)s contains HTML: “%(value)s”.") % {"field": label, "value": value[:60]})
    if formula and value and _is_formula(value):
        raise RowRejected(
            _("%(field)s looks like a spreadsheet formula: “%(value)s”.")
            % {"field": label, "value": value[:60]}
        )
    return value


def _phone(value: str) -> str | None:
    """E.164 ('+31612345678'), Dutch numbers assumed without country code; None when unparsable."""
    try:
        parsed = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _email(value: str) -> str | None:
    value = value.strip().lower()
    if value.startswith("mailto:"):
        value = value[len("mailto:") :]
    try:
        validate_email(value)
    except ValidationError:
        return None
    return value


class RowCleaner:
    """Turns a row of text into the values of an organisation and contact, or rejects it."""

    def __init__(self, mapping: dict[str, str]):
        self.columns = [(int(index), target) for index, target in mapping.items()]
        self.sectors = _sector_lookup()
        self.kinds = _kind_lookup()

    def values(self, cells: list[str]) -> dict[str, str]:
        found = {}
        for index, target in self.columns:
            value = cells[index] if index < len(cells) else ""
            # Non-breaking spaces and stray whitespace come with every copy-paste from a website.
            value = re.sub(r"\s+", " ", value.replace("\xa0", " ")).strip()
            if exports.is_neutralised(value):
                value = value[1:]  # our own export's guard against formulas (stadshart.exports)
            found[target] = value
        return found

    def clean(self, line: int, cells: list[str]) -> CleanRow:
        """A CleanRow, or RowRejected with the reason in words for the user."""
        values = self.values(cells)
        warnings: list[str] = []
        name = _check_text(values.get("name", ""), _("The name"), formula=True)
        if not name:
            raise RowRejected(_("The name is empty."))
        organisation = {"name": name}

        kvk = normalise_digits(values.get("kvk_number", ""))
        try:
            validate_kvk_number(kvk)
        except ValidationError:
            raise RowRejected(
                _("KvK number “%(value)s” is wrong: it must have exactly 8 digits and not start with 00.")
                % {"value": values["kvk_number"]}
            ) from None
        organisation["kvk_number"] = kvk
        branch = normalise_digits(values.get("branch_number", ""))
        try:
            validate_branch_number(branch)
        except ValidationError:
            raise RowRejected(
                _("Branch number “%(value)s” is wrong: it must have exactly 12 digits, not all zeros.")
                % {"value": values["branch_number"]}
            ) from None
        organisation["branch_number"] = branch

        postcode = values.get("postcode", "")
        if postcode and not POSTCODE.match(postcode):
            raise RowRejected(
                _("Postcode “%(value)s” is not a Dutch postcode (like 1234 AB).") % {"value": postcode}
            )
        organisation["postcode"] = normalise_postcode(postcode)

        email = values.get("email", "")
        if email:
            organisation["email"] = _email(email)
            if not organisation["email"]:
                raise RowRejected(_("Email address “%(value)s” is not valid.") % {"value": email[:80]})

        for key, label in (("street", _("The street")), ("town", _("The town"))):
            organisation[key] = _check_text(values.get(key, ""), label, formula=True)
        number = values.get("house_number", "")
        addition = values.get("house_number_addition", "")
        split = re.fullmatch(r"(\d+)\s*[-/]?\s*([A-Za-z0-9]{1,4})", number)
        if split and not addition and not number.isdigit():
            # "12a", "12-2" in one cell: number and addition are separate fields.
            number, addition = split[1], split[2]
        organisation["house_number"] = _check_text(number, _("The house number"), formula=True)
        organisation["house_number_addition"] = _check_text(addition, _("The addition"), formula=True)
        for key, limit in _MAX_LENGTHS.items():
            if len(organisation.get(key, "")) > limit:
                raise RowRejected(
                    _("%(field)s is longer than %(limit)s characters.")
                    % {"field": str(FIELDS[key]), "limit": limit}
                )

        phone = values.get("phone", "")
        if phone:
            organisation["phone"] = _phone(phone) or ""
            if not organisation["phone"]:
                warnings.append(
                    _(
                        "Phone number “%(value)s” is not a valid number; "
                        "the organisation was imported without it."
                    )
                    % {"value": phone[:40]}
                )
        website = values.get("website", "")
        if website:
            url = website if re.match(r"^https?://", website, re.I) else f"https://{website}"
            try:
                _URL(url)
                if len(url) > 200:
                    raise ValidationError("too long")
                organisation["website"] = url
            except ValidationError:
                warnings.append(
                    _("Website “%(value)s” is not a valid address; the organisation was imported without it.")
                    % {"value": website[:80]}
                )
        sector = values.get("sector", "")
        if sector:
            organisation["sector"] = self.sectors.get(normalise_header(sector), "")
            if not organisation["sector"]:
                warnings.append(
                    _("Sector “%(value)s” is unknown and was left empty.") % {"value": sector[:60]}
                )
        kind = values.get("kind", "")
        if kind:
            organisation["kind"] = self.kinds.get(normalise_header(kind), "")
            if not organisation["kind"]:
                warnings.append(
                    _("Kind “%(value)s” is unknown; the organisation was imported as entrepreneur.")
                    % {"value": kind[:60]}
                )
        return CleanRow(
            line=line,
            organisation={key: value for key, value in organisation.items() if value},
            contact=self._contact(values, warnings),
            warnings=warnings,
        )

    def _contact(self, values: dict[str, str], warnings: list[str]) -> dict[str, str] | None:
        first = values.get("contact_first_name", "")
        last = " ".join(
            part for part in (values.get("contact_infix", ""), values.get("contact_last_name", "")) if part
        )
        if not (first or last) and values.get("contact_name"):
            # "Jan van der Berg": the first word is the first name, the rest (with its infix) the last.
            first, _space, last = values["contact_name"].partition(" ")
        if first and not last:
            first, last = "", first
        email = values.get("contact_email", "")
        phone = values.get("contact_phone", "")
        title = values.get("contact_title", "")
        if not (last or email or phone):
            return None
        if not last:
            warnings.append(_("The contact person has no name and was not imported."))
            return None
        for value, label in ((first, _("The contact's first name")), (last, _("The contact's last name"))):
            _check_text(value, label, formula=True)
        _check_text(title, _("The title"), formula=True)
        contact = {"first_name": first[:80], "last_name": last[:120], "title": title[:100]}
        if email:
            contact["email"] = _email(email) or ""
            if not contact["email"]:
                warnings.append(
                    _("Contact email “%(value)s” is not valid; the contact was imported without it.")
                    % {"value": email[:80]}
                )
        if phone:
            contact["phone"] = _phone(phone) or ""
            if not contact["phone"]:
                warnings.append(
                    _("Contact phone “%(value)s” is not a valid number; the contact was imported without it.")
                    % {"value": phone[:40]}
                )
        return contact


# ---------------------------------------------------------------------------------------------
# Matching rows to what the CRM holds, and planning the writes

_FILLABLE = (
    "kvk_number",
    "branch_number",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "town",
    "email",
    "phone",
    "website",
    "sector",
)


def _name_key(name: str, postcode: str) -> tuple[str, str] | None:
    return (normalise(name), postcode.replace(" ", "")) if postcode else None


def _person_key(first_name: str, last_name: str) -> str:
    return normalise(f"{first_name} {last_name}")


@dataclass
class _PersonState:
    person: Person
    phones: set[str] = field(default_factory=set)
    has_email: bool = False
    is_new: bool = False
    new_emails: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """What an import will do: the rows it takes, the records it creates or fills in, and why not."""

    total_rows: int = 0
    created: int = 0
    matched: int = 0
    rejected: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    # Per row, for the preview: (line, "create" | "match" | "reject", organisation values or reason).
    outcomes: list[tuple[int, str, dict | str]] = field(default_factory=list)
    new_organisations: list[Organisation] = field(default_factory=list)
    filled_organisations: dict[int, tuple[Organisation, dict]] = field(default_factory=dict)
    new_people: list[Person] = field(default_factory=list)
    new_emails: list[EmailAddress] = field(default_factory=list)
    new_phones: list[PhoneNumber] = field(default_factory=list)
    new_roles: list[Role] = field(default_factory=list)
    people_with_new_email: set[int] = field(default_factory=set)


class _Matcher:
    """The CRM's existing organisations and contacts, loaded once into dicts so rows match without queries.

    Four queries whatever the file size. A centre's CRM holds thousands of records, not millions,
    so holding the keys in memory is cheaper than asking the database per row.
    """

    def __init__(self):
        self.by_branch: dict[str, Organisation] = {}
        self.by_kvk: dict[str, list[Organisation]] = {}
        self.by_email: dict[str, Organisation] = {}
        self.by_name: dict[tuple[str, str], Organisation] = {}
        fields = ["id", "name", "kind", *_FILLABLE]
        for organisation in Organisation.objects.only(*fields).order_by("pk"):
            self.add(organisation)
        # Contacts: (organisation, normalised name) -> person, and which pairs already have a role.
        self.people: dict[int, _PersonState] = {}
        self.people_at: dict[tuple[int, str], _PersonState] = {}
        self.roles: set[tuple[int, int]] = set()
        self.has_primary: set[int] = set()
        for org_id, person_id, first, last, primary in Role.objects.values_list(
            "organisation_id", "person_id", "person__first_name", "person__last_name", "is_primary_contact"
        ):
            state = self._state(person_id, first, last)
            self.people_at.setdefault((org_id, _person_key(first, last)), state)
            self.roles.add((org_id, id(state)))
            if primary:
                self.has_primary.add(org_id)
        self.by_person_email: dict[str, _PersonState] = {}
        for email, person_id, first, last in EmailAddress.objects.values_list(
            "email", "person_id", "person__first_name", "person__last_name"
        ):
            state = self._state(person_id, first, last)
            state.has_email = True
            self.by_person_email[email.lower()] = state
        for person_id, number in PhoneNumber.objects.values_list("person_id", "number"):
            if person_id in self.people:
                self.people[person_id].phones.add(number)

    def _state(self, person_id: int, first: str, last: str) -> _PersonState:
        if person_id not in self.people:
            self.people[person_id] = _PersonState(Person(pk=person_id, first_name=first, last_name=last))
        return self.people[person_id]

    def add(self, organisation: Organisation) -> None:
        """Make an organisation findable by each of its keys (first one in wins)."""
        if organisation.branch_number:
            self.by_branch.setdefault(organisation.branch_number, organisation)
        if organisation.kvk_number:
            self.by_kvk.setdefault(organisation.kvk_number, []).append(organisation)
        if organisation.email:
            self.by_email.setdefault(organisation.email.lower(), organisation)
        key = _name_key(organisation.name, organisation.postcode)
        if key:
            self.by_name.setdefault(key, organisation)

    def find(self, values: dict[str, str]) -> Organisation | None:
        branch = values.get("branch_number")
        if branch and branch in self.by_branch:
            return self.by_branch[branch]
        for candidate in self.by_kvk.get(values.get("kvk_number", ""), []):
            # One KvK number covers every branch of a business: a row for another branch is another shop.
            if not branch or not candidate.branch_number:
                return candidate
        email = values.get("email")
        if email and email in self.by_email:
            return self.by_email[email]
        key = _name_key(values["name"], values.get("postcode", ""))
        return self.by_name.get(key) if key else None


def plan_import(
    table: Table, mapping: dict[str, str], *, on_progress: ProgressCallback | None = None
) -> Plan:
    """Check and match every row; what would be written, without writing anything. Four queries."""
    cleaner = RowCleaner(mapping)
    matcher = _Matcher()
    plan = Plan(total_rows=len(table.rows))
    new_ids: set[int] = set()  # id() of organisations this file creates
    for position, (line, cells) in enumerate(table.rows, start=1):
        try:
            row = cleaner.clean(line, cells)
        except RowRejected as rejection:
            plan.rejected.append({"line": line, "reason": str(rejection)})
            plan.outcomes.append((line, "reject", str(rejection)))
        else:
            organisation = matcher.find(row.organisation)
            if organisation is None:
                organisation = Organisation(**row.organisation)
                organisation.fill_search_fields()
                plan.new_organisations.append(organisation)
                new_ids.add(id(organisation))
                plan.created += 1
                plan.outcomes.append((line, "create", row.organisation))
            else:
                plan.matched += 1
                plan.outcomes.append((line, "match", {**row.organisation, "name": organisation.name}))
                _fill_empty(plan, organisation, row.organisation, matcher, is_new=id(organisation) in new_ids)
            matcher.add(organisation)
            if row.contact:
                _plan_contact(plan, matcher, organisation, row.contact)
            plan.warnings.extend({"line": line, "reason": warning} for warning in row.warnings)
        if on_progress and (position % PROGRESS_EVERY == 0 or position == plan.total_rows):
            on_progress(position, plan.total_rows)
    return plan


def _fill_empty(
    plan: Plan, organisation: Organisation, values: dict, matcher: _Matcher, *, is_new: bool
) -> None:
    """Fill a matched organisation's empty fields from the row; never overwrite what is stored."""
    changes = {}
    for key in _FILLABLE:
        value = values.get(key)
        if not value or getattr(organisation, key):
            continue
        if key == "branch_number" and value in matcher.by_branch:
            continue  # unique: it belongs to another organisation already
        changes[key] = (getattr(organisation, key), value)
        setattr(organisation, key, value)
    if not changes:
        return
    organisation.fill_search_fields()
    if not is_new:
        _, earlier = plan.filled_organisations.get(organisation.pk, (organisation, {}))
        plan.filled_organisations[organisation.pk] = (organisation, {**changes, **earlier})


def _plan_contact(plan: Plan, matcher: _Matcher, organisation: Organisation, contact: dict[str, str]) -> None:
    # Organisations this file creates have no pk yet: key them by object identity instead.
    org_key = organisation.pk or ("new", id(organisation))
    email = contact.get("email", "")
    state = matcher.by_person_email.get(email) if email else None
    if state is None:
        state = matcher.people_at.get((org_key, _person_key(contact["first_name"], contact["last_name"])))
    if state is None:
        person = Person(first_name=contact["first_name"], last_name=contact["last_name"])
        state = _PersonState(person, is_new=True)
        plan.new_people.append(person)
    matcher.people_at.setdefault(
        (org_key, _person_key(state.person.first_name, state.person.last_name)), state
    )
    if email and email not in matcher.by_person_email:
        plan.new_emails.append(EmailAddress(person=state.person, email=email, is_primary=not state.has_email))
        state.new_emails.append(email)
        matcher.by_person_email[email] = state
        if not state.is_new:
            plan.people_with_new_email.add(state.person.pk)
        state.has_email = True
    phone = contact.get("phone", "")
    if phone and phone not in state.phones:
        kind = PhoneNumber.Kind.MOBILE if phone.startswith("+316") else PhoneNumber.Kind.WORK
        plan.new_phones.append(PhoneNumber(person=state.person, number=phone, kind=kind))
        state.phones.add(phone)
    if (org_key, id(state)) not in matcher.roles:
        primary = org_key not in matcher.has_primary
        plan.new_roles.append(
            Role(
                person=state.person,
                organisation=organisation,
                title=contact["title"],
                is_primary_contact=primary,
            )
        )
        matcher.roles.add((org_key, id(state)))
        matcher.has_primary.add(org_key)
    if state.is_new:
        state.person.search_text = search_document(
            state.person.first_name, state.person.last_name, *state.new_emails
        )


# ---------------------------------------------------------------------------------------------
# The services


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# The admin's upload is kept between the mapping screen and the worker that imports it. Its name
# follows from the batch (hash + extension), so the task needs nothing but the batch id.
UPLOAD_FOLDER = "crm-imports"


def stored_path(batch: ImportBatch) -> str:
    extension = ".xlsx" if batch.filename.lower().endswith((".xlsx", ".xlsm")) else ".csv"
    return f"{UPLOAD_FOLDER}/{batch.file_sha256}{extension}"


def store_upload(*, batch: ImportBatch, data: bytes) -> None:
    path = stored_path(batch)
    if not private_storage().exists(path):
        private_storage().save(path, ContentFile(data))


@contextlib.contextmanager
def stored_file(batch: ImportBatch):
    try:
        file = private_storage().open(stored_path(batch), "rb")
    except FileNotFoundError:
        raise ImportFileError(_("The uploaded file is no longer there; upload it again.")) from None
    with file:
        yield file


def delete_upload(batch: ImportBatch) -> None:
    """Drop the stored upload once imported: it holds personal data nobody needs any more (AVG)."""
    path = stored_path(batch)
    if batch.file_sha256 and private_storage().exists(path):
        private_storage().delete(path)


def load_table(*, file: bytes | BinaryIO, filename: str) -> tuple[bytes, Table]:
    data = read_bytes(file)
    return data, read_table(data, filename)


@dataclass
class Preview:
    """What the mapping screen shows: the file's columns, an example value of each, and the plan."""

    headers: list[str]
    examples: list[str]
    mapping: dict[str, str]
    plan: Plan | None
    error: str = ""
    total_rows: int = 0


def preview_import(
    *, file: bytes | BinaryIO, filename: str, mapping: dict[str, str] | None = None
) -> Preview:
    """A dry run for the mapping screen; raises ImportFileError only when the file cannot be read."""
    _data, table = load_table(file=file, filename=filename)
    examples = []
    for index in range(len(table.headers)):
        found = (
            cells[index] for _line, cells in table.rows[:50] if index < len(cells) and cells[index].strip()
        )
        examples.append(next(found, "")[:60])
    mapping = guess_mapping(table.headers) if mapping is None else mapping
    try:
        mapping = check_mapping(mapping, table.headers)
    except ImportFileError as error:
        return Preview(
            table.headers, examples, mapping, plan=None, error=str(error), total_rows=len(table.rows)
        )
    return Preview(
        table.headers, examples, mapping, plan=plan_import(table, mapping), total_rows=len(table.rows)
    )


# Rows of the plan the mapping screen shows as examples.
PREVIEW_SAMPLE = 25


def preview_data(*, file: bytes | BinaryIO, filename: str, mapping: dict[str, str] | None = None) -> dict:
    """`preview_import` as plain data, for the batch to keep (the worker reads, the screen shows)."""
    from django.utils.encoding import force_str

    with translation.override(settings.LANGUAGE_CODE):
        preview = preview_import(file=file, filename=filename, mapping=mapping)
    plan = None
    if preview.plan is not None:
        plan = {
            "created": preview.plan.created,
            "matched": preview.plan.matched,
            "rejected": preview.plan.rejected,
            "warnings": preview.plan.warnings,
            "sample": [
                [line, outcome, values if isinstance(values, dict) else force_str(values)]
                for line, outcome, values in preview.plan.outcomes[:PREVIEW_SAMPLE]
            ],
        }
    return {
        "headers": preview.headers,
        "examples": preview.examples,
        "mapping": preview.mapping,
        "error": preview.error,
        "total_rows": preview.total_rows,
        "plan": plan,
    }


def import_organisations(
    *,
    file: bytes | BinaryIO,
    filename: str,
    user,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    batch: ImportBatch | None = None,
    on_progress: ProgressCallback | None = None,
) -> ImportBatch:
    """Import a CSV or XLSX of organisations and contacts; the batch says what was done and refused.

    With `dry_run` nothing is written (not even the batch: an unsaved one is returned with the
    counts). Raises ImportFileError when the file as a whole cannot be read; then nothing is stored.
    """
    data, table = load_table(file=file, filename=filename)
    mapping = check_mapping(mapping if mapping is not None else guess_mapping(table.headers), table.headers)
    if batch is None:
        batch = ImportBatch(filename=filename[:255], created_by=user if getattr(user, "pk", None) else None)
    batch.file_sha256 = file_sha256(data)
    batch.column_mapping = mapping
    batch.total_rows = len(table.rows)
    if not dry_run:
        batch.status = ImportBatch.Status.RUNNING
        batch.processed_rows = 0
        batch.save()

    def progress(done: int, total: int) -> None:
        # Written outside the import's transaction (autocommit), so that a polling page sees it.
        if not dry_run:
            ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=done)
        batch.processed_rows = done
        if on_progress:
            on_progress(done, total)

    plan = plan_import(table, mapping, on_progress=progress)
    batch.created_count = plan.created
    batch.matched_count = plan.matched
    batch.rejected_count = len(plan.rejected)
    batch.rejected_rows = plan.rejected + [{**warning, "kept": True} for warning in plan.warnings]
    if dry_run:
        return batch
    try:
        _write(plan, batch=batch, user=user)
    except Exception:
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.FAILED)
        batch.status = ImportBatch.Status.FAILED
        raise
    return batch


@transaction.atomic
def _write(plan: Plan, *, batch: ImportBatch, user) -> None:
    # Lock the batch and look again: a task delivered twice must not import twice.
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status in (ImportBatch.Status.DONE, ImportBatch.Status.UNDONE):
        batch.refresh_from_db()
        return
    with set_actor(user):
        Organisation.objects.bulk_create(plan.new_organisations, batch_size=BULK_SIZE)
        # The roles, emails and phones of the new organisations and people point to objects that
        # had no id when they were planned; bulk_create copies the ids over now they exist.
        Person.objects.bulk_create(plan.new_people, batch_size=BULK_SIZE)
        EmailAddress.objects.bulk_create(plan.new_emails, batch_size=BULK_SIZE)
        PhoneNumber.objects.bulk_create(plan.new_phones, batch_size=BULK_SIZE)
        Role.objects.bulk_create(plan.new_roles, batch_size=BULK_SIZE)
        filled = [organisation for organisation, _changes in plan.filled_organisations.values()]
        if filled:
            fields = [*_FILLABLE, "search_text", "name_text"]
            Organisation.objects.bulk_update(filled, fields, batch_size=BULK_SIZE)
            # bulk_update sends no signals: a sector filled in moves these businesses' contacts.
            tallies.refresh(
                days=tallies.days_of(
                    organisations=[
                        o.pk for o, changes in plan.filled_organisations.values() if "sector" in changes
                    ]
                )
            )
        if plan.people_with_new_email:
            _refresh_people_search_text(plan.people_with_new_email)

        created = [
            *plan.new_organisations,
            *plan.new_people,
            *plan.new_emails,
            *plan.new_phones,
            *plan.new_roles,
        ]
        _insert_many(
            ImportedRecord,
            [
                ImportedRecord(batch=batch, content_type=_content_type(record), object_id=record.pk)
                for record in created
            ],
        )
        _audit(created, filled=plan.filled_organisations, user=user)
    batch.status = ImportBatch.Status.DONE
    batch.processed_rows = batch.total_rows
    batch.finished_at = timezone.now()
    batch.save()


def _insert_many(model, objects: list) -> None:
    """INSERT rows nobody needs the ids of, with plain parameterised SQL.

    Used for the bookkeeping rows (ImportedRecord, LogEntry): four per imported row, where
    bulk_create's per-field SQL compilation costs more than the database does.
    """
    if not objects:
        return
    fields = [model_field for model_field in model._meta.concrete_fields if not model_field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model_field.column) for model_field in fields)
    # Table and column names come from the model; every value is a bound parameter.
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    placeholders = "({})".format(", ".join(["%s"] * len(fields)))
    rows = [
        [
            model_field.get_db_prep_save(getattr(obj, model_field.attname), connection)
            for model_field in fields
        ]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams all rows in one command: far faster than INSERTs over the network.
            with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            # SQLite runs in-process: one prepared statement executed per row is the fastest way.
            cursor.executemany(head + placeholders, rows)


def _content_type(record) -> ContentType:
    return ContentType.objects.get_for_model(record)  # cached by Django after the first call


def _refresh_people_search_text(person_ids: Iterable[int]) -> None:
    people = list(Person.objects.filter(pk__in=list(person_ids)).prefetch_related("emails"))
    for person in people:
        person.refresh_search_text(save=False)
    Person.objects.bulk_update(people, ["search_text"], batch_size=BULK_SIZE)


def _created_changes(record) -> dict[str, str]:
    """A record's filled-in fields as text, as auditlog shows them, without its per-field overhead."""
    changes = {}
    for model_field in record._meta.concrete_fields:
        if model_field.primary_key or model_field.name == "search_text":
            continue
        value = getattr(record, model_field.attname)
        if value not in (None, ""):
            changes[model_field.name] = str(value)
    return changes


def _audit(created: list, *, filled: dict[int, tuple[Organisation, dict]], user) -> None:
    """Audit-trail rows for what bulk_create and bulk_update wrote (they send no signals)."""
    actor = user if getattr(user, "pk", None) else None
    now = timezone.now()
    entries = []
    for record in created:
        entries.append(
            LogEntry(
                content_type=_content_type(record),
                object_pk=str(record.pk),
                object_id=record.pk,
                object_repr=str(record)[:1000],
                action=LogEntry.Action.CREATE,
                changes={key: ["None", value] for key, value in _created_changes(record).items()},
                actor=actor,
                actor_email=getattr(actor, "email", None),
                timestamp=now,
                additional_data={"source": "import"},
            )
        )
    for organisation, changes in filled.values():
        entries.append(
            LogEntry(
                content_type=_content_type(organisation),
                object_pk=str(organisation.pk),
                object_id=organisation.pk,
                object_repr=str(organisation),
                action=LogEntry.Action.UPDATE,
                changes={key: [old or "", new] for key, (old, new) in changes.items()},
                actor=actor,
                actor_email=getattr(actor, "email", None),
                timestamp=now,
                additional_data={"source": "import"},
            )
        )
    _insert_many(LogEntry, entries)


def _audit_deletes(collector: Collector, *, user) -> None:
    """The audit trail's DELETE rows for all the collector will delete, with the user as actor."""
    actor = user if getattr(user, "pk", None) else None
    now = timezone.now()
    entries = []
    # str(role) would fetch its person and organisation one query each; name them from what is
    # collected anyway (a role is deleted with its person or organisation, or both).
    names = {
        model: {instance.pk: str(instance) for instance in collector.data.get(model, ())}
        for model in (Person, Organisation)
    }

    def describe(instance) -> str:
        if isinstance(instance, Role):
            person = names[Person].get(instance.person_id, f"#{instance.person_id}")
            organisation = names[Organisation].get(instance.organisation_id, f"#{instance.organisation_id}")
            return f"{person} ({instance.title or '-'}) @ {organisation}"
        return str(instance)[:1000]

    for model, instances in collector.data.items():
        if not auditlog.contains(model):
            continue
        content_type = ContentType.objects.get_for_model(model)
        for instance in instances:
            entries.append(
                LogEntry(
                    content_type=content_type,
                    object_pk=str(instance.pk),
                    object_id=instance.pk,
                    object_repr=describe(instance),
                    action=LogEntry.Action.DELETE,
                    changes={key: [value, "None"] for key, value in _created_changes(instance).items()},
                    actor=actor,
                    actor_email=getattr(actor, "email", None),
                    timestamp=now,
                    additional_data={"source": "undo of import"},
                )
            )
    _insert_many(LogEntry, entries)


# Undo deletes the dependants before what they depend on, so each delete finds nothing to cascade.
_UNDO_ORDER = (Role, PhoneNumber, EmailAddress, Person, Organisation)


def undo_import(*, batch: ImportBatch, user) -> dict[str, int]:
    """Delete everything the import created and mark it undone; matched records stay as they are.

    Two kinds of created records are kept, because deleting them would destroy work done since:
    people who have given or withdrawn consent since (deleting them would delete that choice), and
    organisations with logged contacts (visits, calls, signals, follow-ups). Their emails, phones
    and roles stay with them. Returns the number of deleted and kept records per model name.
    """
    with transaction.atomic(), set_actor(user):
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.DONE:
            raise ImportUndoError(
                _("Only a finished import can be undone; this one is “%(status)s”.")
                % {"status": batch.get_status_display()}
            )
        created = {
            model: list(
                batch.records.filter(content_type=ContentType.objects.get_for_model(model)).values_list(
                    "object_id", flat=True
                )
            )
            for model in _UNDO_ORDER
        }
        kept_people = set(
            Person.objects.filter(pk__in=created[Person], consents__isnull=False).values_list("pk", flat=True)
        )
        kept_organisations = set(
            Organisation.objects.filter(pk__in=created[Organisation])
            .filter(Q(interactions__isnull=False) | Q(signals__isnull=False) | Q(follow_ups__isnull=False))
            .values_list("pk", flat=True)
        )
        result = {"kept_people": len(kept_people), "kept_organisations": len(kept_organisations)}
        # Django's Collector finds everything the deletes cascade to, exactly as QuerySet.delete()
        # would; we log all of it in one go instead of one audit INSERT per deleted row.
        collector = Collector(using=connection.alias)
        for model in _UNDO_ORDER:
            records = model.objects.filter(pk__in=created[model])
            if model is Person:
                records = records.exclude(pk__in=kept_people)
            elif model is Organisation:
                records = records.exclude(pk__in=kept_organisations)
            elif model is Role:
                records = records.exclude(person__in=kept_people).exclude(organisation__in=kept_organisations)
            else:
                records = records.exclude(person__in=kept_people)
            collector.collect(records)
        _audit_deletes(collector, user=user)
        with disable_auditlog():
            _total, per_model = collector.delete()
        for model in _UNDO_ORDER:
            result[model._meta.model_name] = per_model.get(model._meta.label, 0)
        batch.status = ImportBatch.Status.UNDONE
        batch.undone_at = timezone.now()
        batch.save(update_fields=["status", "undone_at"])
    return result
