"""Password protection for documents that leave the kit: AES-256 zip (pyzipper) and AES-256 PDF (pypdf).

The plain document only ever lives in memory: it is encrypted there, the encrypted bytes are written to a
file in a private temporary folder beside the target and then moved into place, so no unencrypted copy is
left on disk and an interrupted run leaves nothing half-written.

The WinZip-AES key derivation is fixed (PBKDF2-SHA1, 1000 rounds): use long random passwords, as
:func:`generate_password` makes them. AES-256 zips open in 7-Zip and bsdtar (not in Info-ZIP ``unzip`` nor
in the Windows 10 Explorer); the file name inside is readable without the password, so it is neutral.
"""

from __future__ import annotations

import io
import os
import secrets
import zipfile
from pathlib import Path

import pyzipper

from netcourse.core.atomic import atomic_write
from netcourse.core.errors import NetcourseError
from netcourse.core.extras import require

MIN_PASSWORD = 12
MAX_OPEN_BYTES = 512 * 1024 * 1024  # a documentation is a few MB; refuse anything absurd (zip bombs)
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"


class ProtectError(NetcourseError):
    """A protected document cannot be written or opened; names the file."""

    def __init__(self, path: object, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class WrongPasswordError(ProtectError):
    """The password does not open the document (or none was given)."""

    def __init__(self, path: object) -> None:
        super().__init__(path, "wrong password: the document stays locked")


# passwords --------------------------------------------------------------------------------------
def generate_password() -> str:
    """A long random password: 24 random bytes, URL-safe (32 characters, 192 bits)."""
    return secrets.token_urlsafe(24)


def check_password(password: str, source: object = "password") -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ProtectError(source, f"the password must have at least {MIN_PASSWORD} characters "
                                   "(or use --generate-password)")
    return password


def read_password_file(path: str | os.PathLike[str], *, check: bool = True) -> str:
    """The first line of ``path`` (surrounding spaces and the line end removed).

    ``check`` (for protecting) refuses passwords shorter than ``MIN_PASSWORD``; opening takes any.
    """
    try:
        with open(path, encoding="utf-8-sig") as handle:
            first = handle.readline().strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ProtectError(path, f"cannot read the password file: {exc.__class__.__name__}") from exc
    if not first:
        raise ProtectError(path, "the password file's first line is empty")
    return check_password(first, path) if check else first


# encrypting in memory ---------------------------------------------------------------------------
def zip_bytes(data: bytes, inner_name: str, password: str) -> bytes:
    """``data`` as the only member ``inner_name`` of an AES-256 (WinZip AE-2), deflated zip."""
    check_password(password)
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED,
                             encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(password.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.writestr(inner_name, data)
    return buffer.getvalue()


def encrypt_pdf(data: bytes, password: str) -> bytes:
    """``data`` (a PDF) encrypted with AES-256; the owner password is random and not kept."""
    require("pdf", "PDF protection")
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import DependencyError, PdfReadError

    check_password(password)
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.encrypt(user_password=password, owner_password=secrets.token_urlsafe(32), algorithm="AES-256")
        buffer = io.BytesIO()
        writer.write(buffer)
    except DependencyError as exc:
        raise NetcourseError(f"AES-256 PDF encryption needs the 'cryptography' package: pip install "
                             f"cryptography ({exc})") from exc
    except PdfReadError as exc:
        raise NetcourseError(f"the PDF to protect is damaged: {exc}") from exc
    return buffer.getvalue()


def protect(data: bytes, kind: str, password: str, inner_name: str) -> bytes:
    """Encrypt a document: ``kind`` ``pdf`` → AES-256 PDF, anything else → AES-256 zip of ``inner_name``."""
    return encrypt_pdf(data, password) if kind == "pdf" else zip_bytes(data, inner_name, password)


# writing ------------------------------------------------------------------------------------------
def write_file(target: str | os.PathLike[str], data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``target`` through a private temporary folder beside it, atomically.

    An existing ``target`` is kept unless ``force``. On any error nothing is left behind.
    """
    target = Path(target)
    if target.is_dir():
        raise ProtectError(target, "is a folder; give a file name with --out")
    if target.exists() and not force:
        raise ProtectError(target, "file exists; choose another --out or pass --force")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProtectError(target, f"cannot write here: {exc.strerror or exc}") from exc
    try:
        atomic_write(target, data, mode=0o600, overwrite=force)  # private from the first byte (0600)
    except FileExistsError as exc:
        raise ProtectError(target, "file exists; choose another --out or pass --force") from exc
    except OSError as exc:
        raise ProtectError(target, f"cannot write: {exc.strerror or exc}") from exc
    return target


def write_protected(target: str | os.PathLike[str], data: bytes, kind: str, password: str, inner_name: str,
                    *, force: bool = False) -> Path:
    """Encrypt ``data`` in memory and write only the encrypted result to ``target``."""
    return write_file(target, protect(data, kind, password, inner_name), force=force)


# opening ------------------------------------------------------------------------------------------
def open_protected_named(path: str | os.PathLike[str], password: str) -> tuple[str, bytes]:
    """(name, plain bytes) of a protected document made by the kit; the name is the zip member's
    or, for a PDF, the file's own."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProtectError(path, f"cannot read: {exc.strerror or exc}") from exc
    if data.startswith(PDF_MAGIC):
        return path.name, _open_pdf(path, data, password)
    if data.startswith(ZIP_MAGIC):
        return _open_zip(path, data, password)
    raise ProtectError(path, "neither a protected zip nor a PDF made by netcourse")


def open_protected(path: str | os.PathLike[str], password: str) -> bytes:
    """The plain document inside a protected zip or PDF; a wrong password raises WrongPasswordError."""
    return open_protected_named(path, password)[1]


def _open_zip(path: Path, data: bytes, password: str) -> tuple[str, bytes]:
    try:
        with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
            members = [i for i in archive.infolist() if not i.is_dir()]
            if len(members) != 1:
                raise ProtectError(path, f"expected one document in the zip, found {len(members)}")
            member = members[0]
            if member.file_size > MAX_OPEN_BYTES:
                raise ProtectError(path, "the document inside is too large to be a netcourse documentation")
            if not member.flag_bits & 0x1:
                raise ProtectError(path, "the zip is not password-protected")
            if not password:
                raise WrongPasswordError(path)
            archive.setpassword(password.encode("utf-8"))
            return member.filename, archive.read(member)
    except RuntimeError as exc:  # pyzipper: "Bad password for file" / "password required"
        raise WrongPasswordError(path) from exc
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise ProtectError(path, f"damaged zip: {exc}") from exc


def _open_pdf(path: Path, data: bytes, password: str) -> bytes:
    require("pdf", "Opening a protected PDF")
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import DependencyError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if not reader.is_encrypted:
            raise ProtectError(path, "the PDF is not password-protected")
        if not password or not reader.decrypt(password):
            raise WrongPasswordError(path)
        writer = PdfWriter(clone_from=reader)
        buffer = io.BytesIO()
        writer.write(buffer)
    except DependencyError as exc:
        raise NetcourseError(f"opening an AES-256 PDF needs the 'cryptography' package ({exc})") from exc
    except PdfReadError as exc:
        raise ProtectError(path, f"damaged PDF: {exc}") from exc
    return buffer.getvalue()
