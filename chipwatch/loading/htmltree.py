"""A small, forgiving HTML tree on top of html.parser, and text blocks from it.

Saved pages are often fragments (a portal scrape starts with plain text and
never opens <html>), tags are left open, and markup is broken. html.parser
never gives up on such input; this builder turns its events into a tree with
just enough HTML rules (void elements, implied </p> and </li>) to find the
article's paragraphs.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Iterator, Optional, Union

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Elements that start a new paragraph of text.
BLOCK = frozenset(
    "address article aside blockquote dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead "
    "tr ul body html".split()
)
# An open <p> ends when one of these starts (HTML's implied end tag).
_CLOSES_P = BLOCK - {"body", "html"}

_WS = re.compile(r"\s+")
# Elements nest at most this deep; deeper ones are kept as children of the last
# open element. Real pages stay far below; without a cap, markup such as 100,000
# unclosed <b> tags followed by stray end tags makes every end tag search the
# whole stack (quadratic time).
MAX_DEPTH = 256


class Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag: str, attrs: dict[str, str], parent: Optional["Node"]):
        self.tag = tag
        self.attrs = attrs
        self.children: list[Union["Node", str]] = []
        self.parent = parent

    def iter(self) -> Iterator["Node"]:
        """This node and every element below it, in document order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(c for c in reversed(node.children) if isinstance(c, Node))

    def text(self) -> str:
        """All text below, whitespace collapsed."""
        parts: list[str] = []
        stack: list[Union[Node, str]] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(item)
            else:
                stack.extend(reversed(item.children))
        return _WS.sub(" ", "".join(parts)).strip()

    def remove(self) -> None:
        if self.parent is not None:
            self.parent.children = [c for c in self.parent.children if c is not self]
            self.parent = None

    def classes(self) -> str:
        """id and class attribute values, for matching by name."""
        return f"{self.attrs.get('id', '')} {self.attrs.get('class', '')}".strip()

    def __repr__(self) -> str:  # for debugging failed tests
        return f"<{self.tag} {self.classes()!r}>"


def remove_all(nodes) -> None:
    """Detach many nodes at once: each parent's children are rebuilt once, not once
    per removed child (a page of 50,000 <script> siblings would be quadratic)."""
    doomed: dict[int, Node] = {}
    parents: dict[int, Node] = {}
    for n in nodes:
        if n.parent is not None:
            doomed[id(n)] = n
            parents[id(n.parent)] = n.parent
    for parent in parents.values():
        parent.children = [c for c in parent.children if isinstance(c, str) or id(c) not in doomed]
    for n in doomed.values():
        n.parent = None


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.stack = [self.root]

    def _open(self, tag: str, attrs: list[tuple[str, Optional[str]]], void: bool) -> None:
        if tag in _CLOSES_P:
            self._close_implied("p", stop={"div", "section", "article", "td", "li", "blockquote"})
        if tag == "li":
            self._close_implied("li", stop={"ul", "ol"})
        node = Node(tag, {k.lower(): (v or "") for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if not void and tag not in VOID and len(self.stack) <= MAX_DEPTH:
            self.stack.append(node)

    def _close_implied(self, tag: str, stop: set[str]) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            t = self.stack[i].tag
            if t == tag:
                del self.stack[i:]
                return
            if t in stop:
                return

    def handle_starttag(self, tag, attrs):
        self._open(tag, attrs, void=False)

    def handle_startendtag(self, tag, attrs):
        self._open(tag, attrs, void=True)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        if tag in ("p", "br"):  # "</p>" or "</br>" without an opening tag: a break
            self.stack[-1].children.append(Node("br", {}, self.stack[-1]))

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    """The tree of ``html``; never raises on malformed markup."""
    builder = _Builder()
    try:
        builder.feed(html)
        builder.close()
    except Exception:  # html.parser is lenient, but keep whatever was built if it trips
        pass
    return builder.root


_FLUSH = object()  # marker on the walk stack: end of a block element


def blocks(node: Node, skip=lambda n: False) -> list[str]:
    """Text of ``node`` as paragraphs: block elements and <br> break, inline text joins.

    ``skip(n)`` leaves out an element with everything inside it. Iterative, so
    absurdly deep markup cannot exhaust the recursion limit.
    """
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = _WS.sub(" ", "".join(current)).strip()
        if text:
            out.append(text)
        current.clear()

    stack: list = list(reversed(node.children))
    while stack:
        item = stack.pop()
        if item is _FLUSH:
            flush()
        elif isinstance(item, str):
            current.append(item)
        elif skip(item):
            continue
        elif item.tag == "br":
            flush()
        elif item.tag in BLOCK:
            flush()
            stack.append(_FLUSH)
            stack.extend(reversed(item.children))
        else:
            current.append(" " if item.tag in ("td", "th", "img") else "")
            stack.extend(reversed(item.children))
    flush()
    return out


def measure(root: Node) -> dict[int, tuple[int, int]]:
    """id(node) -> (length of its text, length of the part inside links), in one pass.

    Lengths count characters of whitespace-collapsed strings; computed bottom-up
    so that judging every element of a big page stays linear.
    """
    sizes: dict[int, tuple[int, int]] = {}
    for n in reversed(list(root.iter())):  # children before their parents
        total = linked = 0
        for c in n.children:
            if isinstance(c, str):
                total += len(" ".join(c.split()))
            else:
                t, l = sizes[id(c)]
                total += t
                linked += t if c.tag == "a" else l
        sizes[id(n)] = (total, linked)
    return sizes
