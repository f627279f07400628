"""What the browser tour calls a violation, read from what a page shows a person.

The page side (PAGE_FACTS, run in the browser) returns the visible text of the page, one
string per visible text node, with its cards and its width; the checks here (plain Python,
so the unit tests in test_tour.py can show each one failing) find in that text:

- ``code``: a snake_case token (gross_margin) or an upper-case enum code (OPEN,
  AWAITING_CREDIT) that reached a person instead of its label;
- ``latin``: a Latin word on a zh-Hans page that is not data;
- ``money``: a figure of five or more digits without thousands separators (76650000.0),
  in the text or in an input that is not being typed in (a target grid's cell);
- ``placeholder``: a card rendered from home/_empty_card.html or whose body is empty or
  only says that nothing is there yet;
- ``overflow``: a page wider than a phone's 390 px viewport.

What is data and may be Latin or long digits (so is not a violation):
- text inside ``code``, ``pre``, ``kbd``, ``samp``, inputs' values and any element marked
  ``translate="no"`` (the HTML attribute for "do not translate this"; templates can mark
  names and codes with it);
- record codes: letters followed by digits (R0001, CU000010, SO00012345, INV…), hyphenated
  upper-case codes (VIS-20261206-C13F2D, SKU-0101, POS-DIR, STD-AR), dates and times;
- e-mail addresses, web addresses, mobile numbers (a contact's phone) and file names
  (regions.csv, .zip: the names a person must give their files);
- the demo company's own words: the codes of reference records (regions EAST/NORTH, visit
  purposes) and product names with model numbers ("变频器 HV-7.5kW"), read from the
  database by ``DataWords.from_database`` rather than typed here;
- ``KNOWN_ABBREVIATIONS``: the abbreviations a Chinese business user reads as they are.
"""

import re
from dataclasses import dataclass, field

# Read as they are by a Chinese sales team; the ratings AAA…C are the customer grades.
KNOWN_ABBREVIATIONS = frozenset(
    {
        "KPI", "PDCA", "CSV", "API", "Excel", "XLSX", "xlsx", "PDF", "SKU", "ID", "pp", "NPS",
        "AAA", "AA", "A", "B", "C",
        "MB", "JPEG", "PNG", "WebP",  # the photo form's limits and kinds of picture
    }
)  # fmt: skip

# Placeholder texts of an empty card (home/_empty_card.html in both languages).
PLACEHOLDER_TEXTS = ("暂无内容", "Nothing here yet", "登记记录后，此处会逐步显示")

# What is data, removed from a text before it is checked (order matters: longest first).
DATA_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII),  # e-mail
    re.compile(r"https?://\S+", re.ASCII),  # web address
    re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\b", re.ASCII),  # date, time
    re.compile(r"\b\d{4}/\d{2}/\d{2}\b", re.ASCII),
    re.compile(
        r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9][A-Za-z0-9.]*)+\b", re.ASCII
    ),  # VIS-20261206-C13F2D, SKU-0101
    re.compile(r"\b[A-Z]{1,4}\d{3,}\b", re.ASCII),  # R0001, CU000010, SO00012345, V00025646
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)", re.ASCII),  # a contact's mobile number
    re.compile(r"(?:\b[\w-]+)?\.(?:csv|zip|xlsx|xls|pdf|json)\b", re.ASCII),  # regions.csv, .zip
]

SNAKE_CASE = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])", re.ASCII)
UPPER_ENUM = re.compile(
    r"(?<![\w-])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![\w-])|(?<![\w-])[A-Z]{2,}(?![\w-])"
)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}", re.ASCII)
# Five or more digits in a row, not part of a longer token: 76650000.0, ¥84315000.00, 177837.
UNGROUPED_NUMBER = re.compile(r"(?<![\w.,/:-])¥?\s?\d{5,}(?:\.\d+)?(?![\w,/:-])", re.ASCII)


@dataclass(frozen=True)
class Violation:
    role: str
    page: str
    viewport: str
    kind: str
    text: str

    def line(self) -> str:
        return f"{self.role}\t{self.page}\t{self.viewport}\t{self.kind}\t{self.text}"


@dataclass
class DataWords:
    """The demo company's strings that are data: removed from a text before it is checked."""

    strings: set[str] = field(default_factory=set)

    @classmethod
    def from_database(cls) -> "DataWords":
        """Codes of reference records (EAST, COLLECT) and product names, from the database.

        Only codes with an upper-case letter or a digit: a lower-case code (a rubric
        criterion's "closing") is a key that must be shown by its label.
        """
        from django.apps import apps
        from django.db import models

        strings: set[str] = set()
        for model in apps.get_models():
            if not model.__module__.startswith("salesorg."):
                continue
            names = {f.name for f in model._meta.get_fields() if isinstance(f, models.CharField)}
            if "code" in names and model.objects.count() <= 5000:
                strings |= {
                    code
                    for code in model.objects.values_list("code", flat=True)
                    if code and code != code.lower()
                }
        product = apps.get_model("sales", "Product")
        strings |= set(product.objects.values_list("name", flat=True))
        # Codes the patterns already know as codes (R0001, SO00012345) need no entry.
        return cls(strings={s for s in strings if re.search("[A-Za-z]{2}", cls().mask(s))})

    def mask(self, text: str) -> str:
        """The text with every data string, code, date and e-mail blanked out."""
        for pattern in DATA_PATTERNS:
            text = pattern.sub(" ", text)
        if self.strings:
            if not hasattr(self, "_pattern"):
                words = sorted(self.strings, key=len, reverse=True)
                alternatives = "|".join(re.escape(word) for word in words)
                self._pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.ASCII)
            text = self._pattern.sub(" ", text)
        return text


def snippet(text: str, token: str, width: int = 30) -> str:
    """The token with a little of the text around it, on one line."""
    text = " ".join(text.split())
    at = text.find(token)
    if at < 0:
        return token
    start, end = max(0, at - width), min(len(text), at + len(token) + width)
    return f"{token!r} in “{'…' if start else ''}{text[start:end]}{'…' if end < len(text) else ''}”"


def text_problems(text: str, data: DataWords) -> list[tuple[str, str, str]]:
    """(kind, token, detail) for each code, Latin word or ungrouped figure in one text."""
    problems: list[tuple[str, str, str]] = []
    masked = data.mask(text)
    for match in UNGROUPED_NUMBER.finditer(masked):
        token = match.group().strip()
        problems.append(("money", token, snippet(text, token)))
    masked = UNGROUPED_NUMBER.sub(" ", masked)
    for pattern in (SNAKE_CASE, UPPER_ENUM):
        for match in pattern.finditer(masked):
            if match.group() not in KNOWN_ABBREVIATIONS:
                problems.append(("code", match.group(), snippet(text, match.group())))
        masked = pattern.sub(" ", masked)
    for match in LATIN_WORD.finditer(masked):
        if match.group() not in KNOWN_ABBREVIATIONS:
            problems.append(("latin", match.group(), snippet(text, match.group())))
    return problems


def figure_problems(value: str, data: DataWords) -> list[tuple[str, str, str]]:
    """An ungrouped money figure shown in an input (what a person reads when not typing)."""
    return [problem for problem in text_problems(value, data) if problem[0] == "money"]


def card_problems(cards: list[dict]) -> list[str]:
    """The titles of placeholder cards: from home/_empty_card.html, empty or 'nothing yet'."""
    found = []
    for card in cards:
        body = " ".join(card["body"].split())
        title = " ".join(card["title"].split()) or "(untitled card)"
        if card["has_body"] and not body and not card["has_content"]:
            found.append(f"{title}: empty body")
        elif any(placeholder in body for placeholder in PLACEHOLDER_TEXTS):
            found.append(f"{title}: “{body[:60]}”")
    return found


# Run in the page: what a person sees. Text nodes under hidden elements, code-like and
# translate="no" elements are left out; a select shows its chosen option.
PAGE_FACTS = r"""({menu}) => {
  const SKIP = 'script,style,noscript,template,code,pre,kbd,samp,textarea,select,' +
    '[translate=no],.visually-hidden,[aria-hidden=true]';
  const visible = (el) => {
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(SKIP)) continue;
    const inMenu = !!el.closest('#main-nav .dropdown-menu');
    if (inMenu ? !menu || el.closest('form') : !visible(el)) continue;
    texts.push(text);
  }
  for (const select of document.querySelectorAll('select')) {
    if (select.closest('[translate=no]') || !visible(select)) continue;
    const option = select.options[select.selectedIndex];
    if (option && option.text.trim()) texts.push(option.text.trim());
  }
  // Names drawn inside charts (series, axes, titles, categories) are read too.
  for (const el of document.querySelectorAll('[_echarts_instance_]')) {
    const chart = window.echarts && window.echarts.getInstanceByDom(el);
    if (!chart || !visible(el)) continue;
    const option = chart.getOption();
    if (!option) continue;
    const names = (option.title || []).map((title) => title && title.text);
    for (const series of option.series || []) names.push(series && series.name);
    for (const axis of [...(option.xAxis || []), ...(option.yAxis || [])].filter(Boolean)) {
      names.push(axis.name);
      if (axis.type === 'category') {
        const value = (item) => (item && typeof item === 'object' ? item.value : item);
        names.push(...(axis.data || []).map(value));
      }
    }
    texts.push(...names.filter((name) => name !== undefined && name !== null && String(name).trim())
      .map((name) => String(name).trim()));
  }
  // Figures typed into a form show in its inputs: money there must be grouped too.
  const figures = [...document.querySelectorAll('input:not([type]), input[type=text], ' +
    'input[type=number]')].filter((input) => input.value && !input.closest('[translate=no]') &&
    input !== document.activeElement && visible(input)).map((input) => input.value);
  const cards = [...document.querySelectorAll('.card')].filter(visible).map((card) => {
    const header = card.querySelector(':scope > .card-header, :scope .card-title');
    const bodies = [...card.querySelectorAll(':scope > .card-body')];
    return {
      title: header ? header.innerText : '',
      body: bodies.map((body) => body.innerText).join(' '),
      has_body: bodies.length > 0,
      // a chart, picture, table or control is content even without text
      has_content: bodies.some((body) => [...body.querySelectorAll('*')].some((el) => {
        const box = el.getBoundingClientRect();
        return box.width >= 8 && box.height >= 8;
      }) || body.querySelector('canvas,svg,img,table,form,input,select,[role=img]')),
    };
  });
  return {
    lang: document.documentElement.lang,
    texts,
    figures,
    cards,
    scroll_width: document.documentElement.scrollWidth,
    viewport_width: window.innerWidth,
    // The first elements sticking out of the viewport that no scrolling box contains.
    widest: document.documentElement.scrollWidth <= window.innerWidth ? [] :
      [...document.querySelectorAll('body *')].filter((el) => {
        if (el.getBoundingClientRect().right <= window.innerWidth + 1 || !visible(el)) return false;
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
          if (getComputedStyle(up).overflowX !== 'visible') return false;
        }
        return true;
      }).slice(0, 3).map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (typeof el.className === 'string' && el.className.trim()
          ? '.' + el.className.trim().split(/\s+/).join('.') : '')),
  };
}"""
