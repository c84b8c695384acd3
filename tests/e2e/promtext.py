"""A strict parser of the Prometheus text exposition format (version 0.0.4).

It refuses what Prometheus itself would refuse, and a little more: a sample
before its family's TYPE, a TYPE given twice, a duplicate series, a bad metric
or label name, a bad escape, a value that is not a number.
"""
import re

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
SAMPLE = re.compile(r"^(%s)(\{(.*)\})? (\S+)$" % NAME)
LABEL_PAIR = re.compile(r'(%s)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)' % LABEL)
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


class ParseError(ValueError):
    pass


def parse_labels(text, lineno):
    labels, pos = {}, 0
    while pos < len(text):
        m = LABEL_PAIR.match(text, pos)
        if not m:
            raise ParseError("line %d: bad labels {%s}" % (lineno, text))
        if m.group(1) in labels:
            raise ParseError("line %d: label %s twice" % (lineno, m.group(1)))
        labels[m.group(1)] = m.group(2)
        pos = m.end()
    return labels


def family_of(name, types):
    for suffix in ("_bucket", "_sum", "_count", ""):
        if suffix and name.endswith(suffix) and name[: -len(suffix)] in types:
            return name[: -len(suffix)]
    return name


def parse(text):
    """{(name, ((label, value), ...)): float} of every sample; raises ParseError."""
    types, samples = {}, {}
    if not text.endswith("\n"):
        raise ParseError("the exposition must end with a newline")
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.startswith("# TYPE "):
            parts = line.split(" ")
            if len(parts) != 4 or not re.fullmatch(NAME, parts[2]) or parts[3] not in TYPES:
                raise ParseError("line %d: bad TYPE line" % lineno)
            if parts[2] in types:
                raise ParseError("line %d: TYPE of %s twice" % (lineno, parts[2]))
            types[parts[2]] = parts[3]
            continue
        if line.startswith("#") or line == "":
            continue
        m = SAMPLE.match(line)
        if not m:
            raise ParseError("line %d: not a sample: %r" % (lineno, line))
        name, labels = m.group(1), parse_labels(m.group(3) or "", lineno)
        if family_of(name, types) not in types:
            raise ParseError("line %d: %s has no TYPE before it" % (lineno, name))
        key = (name, tuple(sorted(labels.items())))
        if key in samples:
            raise ParseError("line %d: duplicate series %s" % (lineno, key))
        try:
            samples[key] = float(m.group(4))
        except ValueError:
            raise ParseError("line %d: bad value %r" % (lineno, m.group(4)))
    return samples


def value(samples, name, **labels):
    return samples[(name, tuple(sorted(labels.items())))]
