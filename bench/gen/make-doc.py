#!/usr/bin/env python3
"""Writes a large plain-text book, the same bytes on every run.

  make-doc.py OUTPUT [MEGABYTES]      (default 50)

The book looks like a real one to octavo's text reader: a title, numbered
chapters with section headings, hard-wrapped paragraphs with a word split by
a hyphen at a line end now and then, bullet lists and indented code. Words
are invented from syllables by a fixed linear congruential generator (not
Python's random module), so the output does not depend on the Python version.
"""
import sys

SYLLABLES = ["ka", "lo", "mi", "ren", "tor", "ul", "sa", "vek", "po", "dris",
             "an", "el", "thu", "bar", "ne", "qui", "os", "fen", "ga", "ri"]
WIDTH = 72


class Lcg:
    """Numerical Recipes' 32-bit LCG: small, fast enough, fully determined."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def below(self, n):
        self.state = (self.state * 1664525 + 1013904223) & 0xFFFFFFFF
        return (self.state >> 8) % n


def word(rng):
    return "".join(SYLLABLES[rng.below(len(SYLLABLES))] for _ in range(1 + rng.below(4)))


def sentence(rng, count):
    words = [word(rng) for _ in range(count)]
    return " ".join(words).capitalize() + "."


def wrap(rng, text, indent=""):
    lines, line = [], indent
    for w in text.split(" "):
        if len(line) > len(indent) and len(line) + 1 + len(w) > WIDTH:
            # a typesetter's split: the first part ends the line with a hyphen
            if len(w) > 6 and rng.below(5) == 0 and len(line) + 5 < WIDTH:
                lines.append(line + " " + w[:3] + "-")
                line = indent + w[3:]
                continue
            lines.append(line)
            line = indent + w
        else:
            line = line + " " + w if len(line) > len(indent) else line + w
    lines.append(line)
    return "\n".join(lines) + "\n"


def paragraph(rng):
    text = " ".join(sentence(rng, 6 + rng.below(18)) for _ in range(2 + rng.below(6)))
    return wrap(rng, text)


def bullet_list(rng):
    return "".join("* " + sentence(rng, 3 + rng.below(8)) + "\n" for _ in range(2 + rng.below(5)))


def code_block(rng):
    return "".join("    %s(%s);\n" % (word(rng), word(rng)) for _ in range(2 + rng.below(6)))


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: make-doc.py OUTPUT [MEGABYTES]")
    target = int(float(sys.argv[2] if len(sys.argv) > 2 else 50) * 1024 * 1024)
    rng = Lcg(20261128)
    written = 0
    chapter = 0
    with open(sys.argv[1], "w", encoding="ascii", newline="\n") as out:
        head = "The Book of Invented Words\n\n"
        out.write(head)
        written += len(head)
        while written < target:
            chapter += 1
            blocks = ["Chapter %d\n" % chapter]
            for section in range(1, 2 + rng.below(4)):
                blocks.append("%d.%d %s\n" % (chapter, section, sentence(rng, 2 + rng.below(4))[:-1]))
                for _ in range(8 + rng.below(30)):
                    pick = rng.below(20)
                    if pick == 0:
                        blocks.append(bullet_list(rng))
                    elif pick == 1:
                        blocks.append(code_block(rng))
                    else:
                        blocks.append(paragraph(rng))
            text = "\n".join(blocks) + "\n"
            out.write(text)
            written += len(text)


if __name__ == "__main__":
    main()
