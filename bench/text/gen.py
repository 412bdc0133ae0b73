#!/usr/bin/env python3
"""Writes the inputs of the text-reader benchmark into a directory.

  single-line-10mb.txt   10 MB of words on one line
  blank-lines-1m.txt     1,000,000 blank lines
  prose-50mb.txt         50 MB of hard-wrapped prose in blank-line separated
                         paragraphs, with chapters, a hyphenated word now and then

The words are invented syllable strings from a fixed-seed generator, so every
run writes the same bytes.
"""
import os
import random
import sys

MB = 1 << 20


def words(rng):
    syllables = ["ka", "lo", "mi", "ren", "tor", "ul", "sa", "vek", "po", "dris", "an", "el"]
    while True:
        yield "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))


def single_line(path, size):
    rng = random.Random(1)
    w = words(rng)
    with open(path, "w") as f:
        written = 0
        chunk = []
        while written < size:
            word = next(w)
            chunk.append(word)
            written += len(word) + 1
            if len(chunk) == 4096:
                f.write(" ".join(chunk) + " ")
                chunk = []
        f.write(" ".join(chunk) + "\n")


def blank_lines(path, count):
    with open(path, "w") as f:
        f.write("\n" * count)


def prose(path, size, width=70):
    rng = random.Random(2)
    w = words(rng)
    written = 0
    chapter = 0
    with open(path, "w") as f:
        while written < size:
            if rng.random() < 0.01:
                chapter += 1
                block = "CHAPTER %d\n\n" % chapter
            else:
                sentence_words = []
                for _ in range(rng.randint(40, 160)):
                    sentence_words.append(next(w))
                    if rng.random() < 0.08:
                        sentence_words[-1] += "."
                text = " ".join(sentence_words).capitalize() + "."
                lines, line = [], ""
                for word in text.split(" "):
                    if line and len(line) + 1 + len(word) > width:
                        # split a long word now and then, the way typesetters did
                        if len(word) > 6 and rng.random() < 0.2 and len(line) + 4 < width:
                            lines.append(line + " " + word[:3] + "-")
                            line = word[3:]
                            continue
                        lines.append(line)
                        line = word
                    else:
                        line = line + " " + word if line else word
                lines.append(line)
                block = "\n".join(lines) + "\n\n"
            f.write(block)
            written += len(block)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    single_line(os.path.join(out, "single-line-10mb.txt"), 10 * MB)
    blank_lines(os.path.join(out, "blank-lines-1m.txt"), 1000000)
    prose(os.path.join(out, "prose-50mb.txt"), 50 * MB)


if __name__ == "__main__":
    main()
