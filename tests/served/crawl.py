"""A bounded, same-origin, GET-only crawl of the served app, and checks for every downloaded file.

The crawl follows `<a href>` links breadth first. Pages are grouped by their URL route (Django's
resolver names the route, so /kommunen/3/profil/ and /kommunen/7/profil/ are one kind of page):
at most `pages_per_route` pages of each kind are opened, and each kind of download (route plus
its non-numeric arguments, e.g. chart key and format) is fetched at most `files_per_kind` times.
That visits every kind of page and file the demo links to in a bounded time.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import requests

# Links that would end the session or that are not pages of the app.
SKIPPED_PATHS = re.compile(r"^/(konto/abmelden/|static/|admin/|media/)")
FILE_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "text/csv": "csv",
    "image/svg+xml": "svg",
    "image/png": "png",
}


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links_of(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    return parser.links


def login(base_url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base_url}/konto/anmelden/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(f"{base_url}/konto/anmelden/", timeout=30, allow_redirects=False,
                          data={"csrfmiddlewaretoken": token, "username": username,
                                "password": password},
                          headers={"Referer": f"{base_url}/konto/anmelden/"})
    assert answer.status_code == 302, f"login of {username} failed: {answer.status_code}"
    return session


# --- checks of downloaded files: each returns a problem in words, or "" ---------------------

def check_pdf(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() or "" for page in reader.pages[:3])
    return "" if reader.pages and text.strip() else "PDF without pages or text"


def check_docx(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    text = " ".join(p.text for p in document.paragraphs)
    return "" if text.strip() or document.tables else "DOCX without text"


def check_xlsx(content: bytes) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = sum(1 for sheet in workbook.worksheets for _ in sheet.iter_rows(max_row=2))
    return "" if rows else "XLSX without rows"


def check_ods(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        mimetype = archive.read("mimetype").decode()
        has_content = "content.xml" in archive.namelist()
    ok = mimetype == "application/vnd.oasis.opendocument.spreadsheet" and has_content
    return "" if ok else f"not an ODS file ({mimetype})"


def check_csv(content: bytes) -> str:
    text = content.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,\t")
    rows = list(csv.reader(io.StringIO(text), dialect))
    return "" if rows and any(cell.strip() for cell in rows[0]) else "CSV without header"


def check_svg(content: bytes) -> str:
    root = ET.fromstring(content)
    return "" if root.tag.endswith("svg") else f"root element is {root.tag}, not svg"


def check_png(content: bytes) -> str:
    return "" if content.startswith(b"\x89PNG\r\n\x1a\n") else "not a PNG file"


CHECKS = {"pdf": check_pdf, "docx": check_docx, "xlsx": check_xlsx, "ods": check_ods,
          "csv": check_csv, "svg": check_svg, "png": check_png}


def file_problem(kind: str, content: bytes) -> str:
    try:
        return CHECKS[kind](content)
    except Exception as error:  # any parser error means the file is broken
        return f"{kind} does not open: {type(error).__name__}: {error}"


# --- the crawl --------------------------------------------------------------------------------

@dataclass
class Fetched:
    url: str
    linked_from: str = ""
    status: int = 0
    kind: str = "html"  # "html", a FILE_TYPES value, or the raw content type
    seconds: float = 0.0
    problem: str = ""
    links: list[str] = field(default_factory=list)


@dataclass
class CrawlResult:
    pages: list[Fetched] = field(default_factory=list)
    files: list[Fetched] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [f"{item.status} {item.url} (linked from {item.linked_from}): {item.problem}"
                for item in (*self.pages, *self.files) if item.problem]


def route_of(path: str, query: str) -> tuple[str, tuple]:
    """What kind of page or file a path is: the route's name and its non-numeric arguments."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return path, ()
    words = tuple(sorted((k, v) for k, v in match.kwargs.items() if not str(v).isdigit()
                         and k not in {"slug", "token", "code"}))
    keys = tuple(sorted({key for key, _ in parse_qsl(query, keep_blank_values=True)}))
    return match.view_name, (*words, *keys)


def fetch(session: requests.Session, url: str, *, timeout: float, linked_from: str = "") -> Fetched:
    result = Fetched(url, linked_from)
    try:
        response = session.get(url, timeout=timeout, allow_redirects=True, stream=True)
    except requests.Timeout:
        result.problem = f"no answer within {timeout} s"
        return result
    except requests.RequestException as error:
        result.problem = f"request failed: {error}"
        return result
    with response:
        result.status = response.status_code
        result.seconds = response.elapsed.total_seconds()
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        if content_type == "text/event-stream":
            result.kind = content_type  # a live stream: its headers are enough
            return result
        try:
            content = response.content
        except requests.RequestException as error:
            result.problem = f"body not received: {error}"
            return result
    if response.status_code >= 400:
        result.problem = f"HTTP {response.status_code}"
    if content_type == "text/html":
        result.links = [urljoin(response.url, href) for href in links_of(content.decode())]
    elif content_type in FILE_TYPES:
        result.kind = FILE_TYPES[content_type]
        if not result.problem:
            result.problem = file_problem(result.kind, content)
    else:
        result.kind = content_type
    return result


@dataclass
class Budget:
    """How much a crawl may open: pages per route for each role, files per kind for all roles."""

    pages_per_route: int = 2
    files_per_kind: int = 1
    max_requests: int = 400
    files_seen: dict[tuple, int] = field(default_factory=lambda: defaultdict(int))

    def admits(self, url: str, base_url: str, queued: set[str], pages: dict) -> bool:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != base_url or url in queued:
            return False
        if SKIPPED_PATHS.match(parts.path) or len(queued) >= self.max_requests:
            return False
        route = route_of(parts.path, parts.query)
        counter, limit = ((self.files_seen, self.files_per_kind) if FILE_LINK.search(url)
                          else (pages, self.pages_per_route))
        if counter[route] >= limit:
            return False
        counter[route] += 1
        return True


FILE_LINK = re.compile(r"(\.(pdf|docx|xlsx|ods|csv|svg|png)$|[?&]\w+=(csv|xlsx|ods|docx|pdf)\b)")


def crawl(session: requests.Session, base_url: str, start: str, *, budget: Budget,
          timeout: float, threads: int = 4) -> CrawlResult:
    """Breadth first from `start`, `threads` requests at a time, within `budget`."""
    result, queued, pages = CrawlResult(), {start}, defaultdict(int)
    level = [(start, "")]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        while level:
            fetched = list(pool.map(
                lambda link: fetch(session, link[0], timeout=timeout, linked_from=link[1]),
                level))
            level = []
            for item in fetched:
                (result.pages if item.kind == "html" else result.files).append(item)
                for link in item.links:
                    url = urldefrag(link).url
                    if budget.admits(url, base_url, queued, pages):
                        queued.add(url)
                        level.append((url, item.url))
    return result
